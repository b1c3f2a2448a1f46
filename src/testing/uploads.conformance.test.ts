import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { pngChunk } from '../workflow/embedded/pngChunk';
import { FakeComfyServer } from './FakeComfyServer';

/**
 * Replays `__fixtures__/uploads/uploads.jsonl` (ComfyUI 0.8.0 answering uploads, masks, `/view`
 * and LoadImage prompts) against the fake: same requests in the same order, same statuses and
 * bodies, and the same files in its folders after each case. The recording keeps sizes and
 * hashes, not bytes: each distinct content is remade (a PNG of the recorded colour and size
 * where the folder listings show one, other bytes of the recorded length elsewhere), so equal
 * contents stay equal and different ones different.
 */

interface Part {
  readonly name: string;
  readonly filename?: string;
  readonly content_type?: string;
  readonly bytes?: number;
  readonly sha256?: string;
  readonly value?: string;
}
interface PngInfo {
  readonly width: number;
  readonly height: number;
  readonly color_type: number;
  readonly px00: readonly number[];
  readonly text?: Readonly<Record<string, string>>;
}
interface FsFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly png?: PngInfo;
}
type Line =
  | { kind: 'note'; case: string | null; text: string }
  | { kind: 'fs'; case: string; label: string; folder: 'input' | 'output' | 'temp'; files: FsFile[] }
  | {
      kind: 'exchange';
      case: string;
      seq: number;
      label: string;
      request: { method: string; url: string; headers?: Record<string, string>; body?: { multipart?: Part[]; raw?: string } & Record<string, unknown> };
      response: { status: number; body?: unknown; body_text?: string; body_binary?: { png?: PngInfo } };
    };

const lines = readFileSync(join(__dirname, '__fixtures__', 'uploads', 'uploads.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Line);

/** Recorded PNG facts per content hash (from the folder listings). */
const pngBySha = new Map<string, PngInfo>();
for (const line of lines) if (line.kind === 'fs') for (const file of line.files) if (file.png) pngBySha.set(file.sha256, file.png);

function solid(width: number, height: number, rgba: readonly number[], colorType: number, text?: Readonly<Record<string, string>>): Buffer {
  const png = new PNG({ width, height, colorType: colorType as 2 | 6, inputHasAlpha: true });
  for (let i = 0; i < png.data.length; i += 4) png.data.set(rgba, i);
  const encoded = PNG.sync.write(png, { colorType: colorType as 2 | 6 });
  if (!text) return encoded;
  const chunks = Object.entries(text).map(([key, value]) => pngChunk('tEXt', Buffer.from(`${key}\0${value}`, 'latin1')));
  return Buffer.concat([encoded.subarray(0, 33), ...chunks, encoded.subarray(33)]);
}

/** The bytes standing for one recorded part: equal hashes give equal bytes. */
function contentOf(part: Part, label: string): Buffer {
  const size = part.bytes ?? 0;
  if (size === 0) return Buffer.alloc(0);
  const png = part.sha256 ? pngBySha.get(part.sha256) : undefined;
  if (png) return solid(png.width, png.height, png.px00, png.color_type, png.text);
  if (part.content_type === 'image/png') {
    // the masks: RGBA, alpha 0 at (0,0) as the composites show; one is 4x4 for an 8x8 original
    const side = /4x4/.test(label) ? 4 : 8;
    return solid(side, side, [0, 0, 0, 0], 6);
  }
  const seed = createHash('sha256').update(part.sha256 ?? String(size)).digest();
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = seed[i % seed.length] ?? 0;
  return out;
}

function bodyOf(request: Extract<Line, { kind: 'exchange' }>['request'], label: string): { body?: BodyInit; headers: Record<string, string> } {
  const body = request.body;
  if (!body) return { headers: {} };
  if (body.multipart) {
    const form = new FormData();
    for (const part of body.multipart) {
      if (part.filename !== undefined) form.append(part.name, new Blob([new Uint8Array(contentOf(part, label))], { type: part.content_type }), part.filename);
      else form.append(part.name, part.value ?? '');
    }
    return { body: form, headers: {} };
  }
  const contentType = request.headers?.['content-type'] ?? 'application/json';
  return { body: body.raw ?? JSON.stringify(body), headers: { 'content-type': contentType } };
}

const firstPixel = (bytes: Buffer): number[] => {
  const png = PNG.sync.read(bytes);
  return [...png.data.subarray(0, 4)];
};

describe('the fake answers uploads as ComfyUI 0.8.0 (uploads.jsonl)', () => {
  let main: FakeComfyServer;
  let limited: FakeComfyServer;

  beforeAll(async () => {
    main = await FakeComfyServer.start();
    limited = await FakeComfyServer.start({ maxUploadBytes: 1_048_576 }); // the recording's second server: --max-upload-size 1
  });
  afterAll(async () => {
    await Promise.all([main.stop(), limited.stop()]);
  });

  const cases = [...new Set(lines.flatMap((line) => (line.case === null ? [] : [line.case])))];
  let lastPromptId = '';

  it.each(cases)('case %s', async (name) => {
    for (const line of lines.filter((entry) => entry.case === name)) {
      if (line.kind === 'note') continue;
      if (line.kind === 'fs') {
        const fake = line.label.includes('limited') ? limited : main;
        const listed = fake.listFiles(line.folder).filter((file) => file.path.includes('rec-a44972'));
        expect({ label: line.label, paths: listed.map((file) => file.path) }).toEqual({ label: line.label, paths: line.files.map((file) => file.path) });
        for (const file of line.files) {
          const bytes = listed.find((entry) => entry.path === file.path)?.bytes;
          if (file.png && bytes) expect({ path: file.path, px00: firstPixel(bytes) }).toEqual({ path: file.path, px00: [...file.png.px00] });
          if (bytes && !file.png) expect({ path: file.path, size: bytes.length }).toEqual({ path: file.path, size: file.size });
        }
        continue;
      }
      const { request, response, label } = line;
      const url = new URL(request.url);
      const fake = url.port === '8193' ? limited : main;
      let path = `${url.pathname}${url.search}`;
      if (path.startsWith('/history/')) path = `/history/${lastPromptId}`;
      const { body, headers } = bodyOf(request, label);
      const answer = await fetch(`${fake.url}${path}`, { method: request.method, headers, body });
      const raw = Buffer.from(await answer.arrayBuffer());
      const text = raw.toString('utf8');
      expect({ label, status: answer.status }).toEqual({ label, status: response.status });
      if (path === '/prompt') {
        const posted = JSON.parse(text) as { prompt_id?: string; node_errors: unknown };
        if (response.status === 200) {
          lastPromptId = posted.prompt_id as string;
          await fake.promptFinished(lastPromptId);
        } else expect({ label, body: JSON.parse(text) as unknown }).toEqual({ label, body: response.body });
        continue;
      }
      if (path.startsWith('/history/')) {
        const recorded = Object.values(response.body as Record<string, { outputs: unknown; status: { status_str: string; messages: Array<[string, Record<string, unknown>]> } }>)[0];
        const entry = (JSON.parse(text) as Record<string, typeof recorded>)[lastPromptId];
        expect({ label, status: entry?.status.status_str, outputs: entry?.outputs }).toEqual({ label, status: recorded?.status.status_str, outputs: recorded?.outputs });
        const recordedError = recorded?.status.messages.find(([type]) => type === 'execution_error')?.[1];
        const error = entry?.status.messages.find(([type]) => type === 'execution_error')?.[1];
        if (recordedError) {
          expect(error).toMatchObject({ node_id: recordedError.node_id, exception_type: recordedError.exception_type, exception_message: recordedError.exception_message });
          expect((error?.traceback as string[]).slice(4)).toEqual((recordedError.traceback as string[]).slice(4)); // the node's frames (the executor's carets vary by Python build)
        }
        continue;
      }
      if (path === '/object_info/LoadImage') {
        // the recording's server held other runs' files too: compare this run's names
        const combo = (body: unknown) => ((body as { LoadImage: { input: { required: { image: [string[]] } } } }).LoadImage.input.required.image[0]).filter((name) => name.includes('rec-a44972'));
        expect(combo(JSON.parse(text))).toEqual(combo(response.body));
        continue;
      }
      if (response.body !== undefined && response.body !== null) expect({ label, body: JSON.parse(text) as unknown }).toEqual({ label, body: response.body });
      if (response.body_text !== undefined && request.method !== 'HEAD' && !path.startsWith('/view')) expect({ label, text }).toEqual({ label, text: response.body_text });
      if (response.body_binary?.png) expect({ label, px00: firstPixel(raw) }).toEqual({ label, px00: [...response.body_binary.png.px00] });
    }
  });
});
