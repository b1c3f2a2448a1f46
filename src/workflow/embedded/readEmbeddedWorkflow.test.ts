import { deflateSync } from 'node:zlib';
import { ComfyMalformedFileError, ComfyNoWorkflowError } from '../../errors';
import * as build from './__fixtures__/buildFiles';
import { readEmbeddedWorkflow } from './readEmbeddedWorkflow';

const WORKFLOW = { last_node_id: 9, nodes: [{ id: 3, type: 'KSampler', widgets_values: [42, 'randomize', 20] }], links: [], version: 0.4 };
const PROMPT = { '3': { class_type: 'KSampler', inputs: { seed: 42, steps: 20, model: ['4', 0] } } };
const W = JSON.stringify(WORKFLOW);
const P = JSON.stringify(PROMPT);

/** Asserts a typed error of the class, and returns it. */
function failure<T extends Error>(read: () => unknown, type: new (...args: never[]) => T): T {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error('expected a failure');
}

describe('readEmbeddedWorkflow', () => {
  describe('PNG', () => {
    it('reads tEXt chunks before IDAT, as SaveImage writes them', () => {
      const file = build.png([build.tEXt('prompt', P), build.tEXt('workflow', W)]);
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'png', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reads uncompressed and compressed iTXt (UTF-8 text)', () => {
      const workflow = { ...WORKFLOW, extra: { note: 'café ✓' } };
      const plain = build.png([build.iTXt('workflow', JSON.stringify(workflow), false)]);
      const deflated = build.png([build.iTXt('workflow', JSON.stringify(workflow), true), build.iTXt('prompt', P, true)]);
      expect(readEmbeddedWorkflow(plain)).toEqual({ container: 'png', workflow });
      expect(readEmbeddedWorkflow(deflated)).toEqual({ container: 'png', workflow, prompt: PROMPT });
    });

    it('reads zTXt', () => {
      expect(readEmbeddedWorkflow(build.png([build.zTXt('workflow', W)]))).toEqual({ container: 'png', workflow: WORKFLOW });
    });

    it("reads SaveAnimatedPNG's comf chunks after the image data", () => {
      const file = build.png([], [build.comf('prompt', P), build.comf('workflow', W)]);
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'png', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('names the other text keys when there is no workflow', () => {
      const error = failure(() => readEmbeddedWorkflow(build.png([build.tEXt('parameters', 'a cat, Steps: 20')])), ComfyNoWorkflowError);
      expect(error.container).toBe('png');
      expect(error.otherKeys).toEqual(['parameters']);
      expect(error.code).toBe('COMFYRX_NO_WORKFLOW');
    });

    it('keeps a value found before the file was cut short, and fails typed when it was not', () => {
      const file = build.png([build.tEXt('workflow', W)]);
      expect(readEmbeddedWorkflow(file.subarray(0, file.length - 20))).toEqual({ container: 'png', workflow: WORKFLOW });
      const error = failure(() => readEmbeddedWorkflow(file.subarray(0, 40)), ComfyMalformedFileError);
      expect(error.container).toBe('png');
      expect(error.message).toMatch(/truncated/);
    });

    it('refuses a chunk length beyond the file (no allocation for it)', () => {
      const file = build.png([build.tEXt('workflow', W)]);
      file.writeUInt32BE(0x7ffffff0, 33); // the tEXt length field, right after IHDR
      expect(failure(() => readEmbeddedWorkflow(file), ComfyMalformedFileError).message).toMatch(/runs past the end/);
    });

    it('refuses a zip bomb in zTXt with a typed error', () => {
      const bomb = build.pngChunk('zTXt', Buffer.concat([Buffer.from('workflow\0\0'), deflateSync(Buffer.alloc(80 * 2 ** 20, 0x20), { level: 1 })]));
      expect(failure(() => readEmbeddedWorkflow(build.png([bomb])), ComfyMalformedFileError).message).toMatch(/inflate/);
    });
  });

  describe('WebP', () => {
    const entries = [
      [0x0110, `prompt:${P}`],
      [0x010f, `workflow:${W}`],
    ] as const;

    it('reads the EXIF chunk without the Exif\\0\\0 prefix (big-endian TIFF, as PIL writes)', () => {
      expect(readEmbeddedWorkflow(build.webp(build.tiff(entries)))).toEqual({ container: 'webp', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reads the EXIF chunk with the Exif\\0\\0 prefix, and a little-endian TIFF', () => {
      expect(readEmbeddedWorkflow(build.webp(build.tiff(entries, 'II'), { prefix: true }))).toEqual({ container: 'webp', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('accepts the Workflow:/Prompt: keys of third-party savers', () => {
      const file = build.webp(build.tiff([[0x010e, `Workflow:${W}`], [0x010d, `Prompt:${P}`]]));
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'webp', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('honours the pad byte of odd-sized chunks before EXIF', () => {
      const odd = build.riffChunk('ICCP', Buffer.alloc(3, 1));
      expect(readEmbeddedWorkflow(build.webp(build.tiff(entries), { extra: [odd] }))).toEqual({ container: 'webp', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reports a WebP without EXIF, and an EXIF block without a TIFF header', () => {
      const plain = Buffer.concat([Buffer.from('RIFF'), Buffer.of(17, 0, 0, 0), Buffer.from('WEBP'), build.riffChunk('VP8L', Buffer.alloc(9))]);
      expect(failure(() => readEmbeddedWorkflow(plain), ComfyNoWorkflowError).container).toBe('webp');
      expect(failure(() => readEmbeddedWorkflow(build.webp(Buffer.from('not a tiff'))), ComfyMalformedFileError).message).toMatch(/TIFF/);
    });

    it('refuses an IFD value offset outside the block', () => {
      const block = build.tiff(entries);
      block.writeUInt32BE(0xfffffff0, 8 + 2 + 8); // first entry's value offset
      expect(failure(() => readEmbeddedWorkflow(build.webp(block)), ComfyMalformedFileError).container).toBe('webp');
    });
  });

  describe('MP4/MOV', () => {
    const meta = build.mdtaMeta([
      ['workflow', W],
      ['prompt', P],
    ]);

    it('reads moov › udta › meta (mdta keys + ilst) with moov before mdat', () => {
      const file = Buffer.concat([build.FTYP, build.moov(meta), build.box('mdat', Buffer.alloc(1000))]);
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'mp4', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reads moov at the end after a 64-bit-size mdat', () => {
      const file = Buffer.concat([build.FTYP, build.box('free'), build.largeBox('mdat', Buffer.alloc(5000)), build.moov(meta)]);
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'mp4', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reads a QuickTime meta (no version/flags) and iTunes ---- items', () => {
      const hdlr = build.box('hdlr', Buffer.alloc(8), Buffer.from('mdir'), Buffer.alloc(13));
      const freeform = build.box('----', build.box('mean', Buffer.alloc(4), Buffer.from('com.apple.iTunes')), build.box('name', Buffer.alloc(4), Buffer.from('workflow')), build.box('data', Buffer.of(0, 0, 0, 1), Buffer.alloc(4), Buffer.from(W)));
      const qtMeta = build.box('meta', hdlr, build.box('ilst', freeform));
      expect(readEmbeddedWorkflow(Buffer.concat([build.FTYP, build.moov(qtMeta)]))).toEqual({ container: 'mp4', workflow: WORKFLOW });
    });

    it('decodes values written as JSON strings again ("triple-encoded" re-muxes)', () => {
      const twice = JSON.stringify(JSON.stringify(W));
      const file = Buffer.concat([build.FTYP, build.moov(build.mdtaMeta([['workflow', twice]]))]);
      expect(readEmbeddedWorkflow(file).workflow).toEqual(WORKFLOW);
    });

    it('reports an MP4 without metadata, and a box running past its parent', () => {
      expect(failure(() => readEmbeddedWorkflow(Buffer.concat([build.FTYP, build.box('mdat', Buffer.alloc(10))])), ComfyNoWorkflowError).container).toBe('mp4');
      const file = Buffer.concat([build.FTYP, build.moov(meta), build.box('mdat', Buffer.alloc(100))]);
      file.writeUInt32BE(0x00ffffff, build.FTYP.length + 8); // mvhd claims 16 MiB inside a small moov
      expect(failure(() => readEmbeddedWorkflow(file), ComfyMalformedFileError).message).toMatch(/runs past its parent/);
    });
  });

  describe('WebM/MKV', () => {
    const tags = build.tagsElement([
      ['PROMPT', P],
      ['WORKFLOW', W],
    ]);

    it('reads upper-case Matroska SimpleTags before the first Cluster', () => {
      const file = Buffer.concat([build.ebmlHeader(), build.segment(tags, build.cluster(100))]);
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'webm', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reads Tags after the Clusters, skipping Clusters by size', () => {
      const file = Buffer.concat([build.ebmlHeader('matroska'), build.segment(build.cluster(100), build.cluster(300), tags)]);
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'webm', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reaches Tags after a Cluster of unknown size through the SeekHead', () => {
      const clusters = build.clusterUnknownSize(200);
      const body = Buffer.concat([build.seekHead(build.SEEK_HEAD_LENGTH + clusters.length), clusters, tags]);
      const file = Buffer.concat([build.ebmlHeader(), build.segmentUnknownSize(body)]);
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'webm', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reports a file without Tags, and an invalid size VINT', () => {
      expect(failure(() => readEmbeddedWorkflow(Buffer.concat([build.ebmlHeader(), build.segment(build.cluster(10))])), ComfyNoWorkflowError).container).toBe('webm');
      const file = Buffer.concat([build.ebmlHeader(), build.segment(tags)]);
      file[build.ebmlHeader().length + 4] = 0x00; // the Segment's size VINT: no marker bit in 8 bytes
      expect(failure(() => readEmbeddedWorkflow(file), ComfyMalformedFileError).message).toMatch(/VINT/);
    });
  });

  describe('FLAC', () => {
    it('reads prompt= and workflow= Vorbis comments after STREAMINFO and PADDING', () => {
      const file = build.flac(['ENCODER=Lavf59.27.100', `prompt=${P}`, `workflow=${W}`], { padding: 300 });
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'flac', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('accepts Prompt=/Workflow= keys', () => {
      expect(readEmbeddedWorkflow(build.flac([`Workflow=${W}`]))).toEqual({ container: 'flac', workflow: WORKFLOW });
    });

    it('refuses a comment length beyond its block', () => {
      const file = build.flac([`workflow=${W}`]);
      const countAt = file.indexOf(Buffer.from('Lavf59.27.100')) + 13;
      file.writeUInt32LE(0xffffff00, countAt + 4); // the first comment's length
      expect(failure(() => readEmbeddedWorkflow(file), ComfyMalformedFileError).message).toMatch(/comment runs past/);
    });
  });

  describe('MP3', () => {
    const frames = [
      ['prompt', P],
      ['workflow', W],
    ] as const;

    it('reads ID3v2.4 TXXX frames (syncsafe sizes, UTF-8)', () => {
      expect(readEmbeddedWorkflow(build.mp3(frames))).toEqual({ container: 'mp3', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reads ID3v2.3 TXXX frames (plain sizes) in UTF-16 with a BOM', () => {
      expect(readEmbeddedWorkflow(build.mp3(frames, { version: 3, encoding: 1 }))).toEqual({ container: 'mp3', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reports an MP3 whose tag has no workflow', () => {
      const error = failure(() => readEmbeddedWorkflow(build.mp3([['encoder', 'Lavf']])), ComfyNoWorkflowError);
      expect(error).toMatchObject({ container: 'mp3', otherKeys: ['encoder'] });
    });
  });

  describe('Ogg/Opus', () => {
    it('reads OpusTags in one page', () => {
      expect(readEmbeddedWorkflow(build.oggOpus([`prompt=${P}`, `workflow=${W}`]))).toEqual({ container: 'ogg', workflow: WORKFLOW, prompt: PROMPT });
    });

    it('reads OpusTags spanning several pages', () => {
      const workflow = { ...WORKFLOW, extra: { note: 'x'.repeat(2000) } };
      const file = build.oggOpus([`prompt=${P}`, `workflow=${JSON.stringify(workflow)}`], { pageSegments: 2 });
      expect(file.toString('latin1').split('OggS').length - 1).toBeGreaterThan(4);
      expect(readEmbeddedWorkflow(file)).toEqual({ container: 'ogg', workflow, prompt: PROMPT });
    });

    it('refuses a page without its capture pattern', () => {
      const file = build.oggOpus([`workflow=${W}`], { pageSegments: 1 });
      file.write('XggS', file.indexOf('OggS', 10), 'latin1');
      expect(failure(() => readEmbeddedWorkflow(file), ComfyMalformedFileError).message).toMatch(/OggS/);
    });
  });

  describe('GLB, .latent, SVG', () => {
    it('reads asset.extras of a binary glTF (SaveGLB: JSON strings; objects too)', () => {
      expect(readEmbeddedWorkflow(build.glb({ asset: { version: '2.0', extras: { prompt: P, workflow: W } } }))).toEqual({ container: 'glb', workflow: WORKFLOW, prompt: PROMPT });
      expect(readEmbeddedWorkflow(build.glb({ asset: { version: '2.0', extras: { workflow: WORKFLOW } } }))).toEqual({ container: 'glb', workflow: WORKFLOW });
      expect(failure(() => readEmbeddedWorkflow(build.glb({ asset: { version: '2.0' } })), ComfyNoWorkflowError).container).toBe('glb');
    });

    it('reads __metadata__ of a .latent (SaveLatent writes "" for a missing prompt)', () => {
      expect(readEmbeddedWorkflow(build.safetensors({ prompt: P, workflow: W }))).toEqual({ container: 'latent', workflow: WORKFLOW, prompt: PROMPT });
      expect(readEmbeddedWorkflow(build.safetensors({ prompt: '', workflow: W }))).toEqual({ container: 'latent', workflow: WORKFLOW });
      const file = build.safetensors({ workflow: W });
      file.writeUInt32LE(0xffff, 0);
      expect(failure(() => readEmbeddedWorkflow(file), ComfyMalformedFileError).message).toMatch(/runs past the end/);
    });

    it('reads the CDATA metadata of an SVG (SaveSVGNode: pretty-printed objects), also far into a big file', () => {
      expect(readEmbeddedWorkflow(build.svg({ prompt: PROMPT, workflow: { ...WORKFLOW, extra: { big: 'x'.repeat(200_000) } } }, { paths: 10 }))).toMatchObject({ container: 'svg', prompt: PROMPT });
      expect(failure(() => readEmbeddedWorkflow(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>')), ComfyNoWorkflowError).container).toBe('svg');
      const cut = build.svg({ workflow: WORKFLOW });
      expect(failure(() => readEmbeddedWorkflow(cut.subarray(0, cut.indexOf(']]>'))), ComfyMalformedFileError).message).toMatch(/never ends/);
    });
  });

  describe('JSON values', () => {
    it("parses Python's NaN and Infinity (outside strings only)", () => {
      const text = '{"3": {"inputs": {"cfg": NaN, "max": Infinity, "min": -Infinity, "text": "NaN Infinity"}}}';
      expect(readEmbeddedWorkflow(build.png([build.tEXt('prompt', text)])).prompt).toEqual({ '3': { inputs: { cfg: Number.NaN, max: Infinity, min: -Infinity, text: 'NaN Infinity' } } });
    });

    it('gives a typed error for a value that is not JSON, or not an object', () => {
      expect(failure(() => readEmbeddedWorkflow(build.png([build.tEXt('workflow', '{"nodes": [')])), ComfyMalformedFileError).message).toMatch(/not valid JSON/);
      expect(failure(() => readEmbeddedWorkflow(build.png([build.tEXt('workflow', '[1, 2]')])), ComfyMalformedFileError).message).toMatch(/not a JSON object/);
    });
  });

  it('refuses a file of no known container by its bytes, not its name', () => {
    const error = failure(() => readEmbeddedWorkflow(Buffer.from('GIF89a....')), ComfyNoWorkflowError);
    expect(error.container).toBe('unknown');
    expect(failure(() => readEmbeddedWorkflow(new Uint8Array(0)), ComfyNoWorkflowError).container).toBe('unknown');
  });
});
