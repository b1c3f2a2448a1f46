import { firstValueFrom, fromEvent, takeUntil } from 'rxjs';
import { ComfyClient } from '../../client';
import type { UploadedFile } from '../../inputs/uploadedFile';
import type { CliContext } from '../CliContext';
import { CliUsageError } from '../CliUsageError';
import { checkServer } from '../checkServer';
import { ExitCode } from '../exitCodes';
import { serverUrl } from '../serverUrl';

/** Options of `comfyui-rx upload`. */
export interface UploadCommandOptions {
  /** A mask: put onto the one FILE given (uploaded first), or onto `original`. */
  readonly mask?: string;
  /** The stored name of the image the mask applies to (an image already on the server). */
  readonly original?: string;
  /** Content-addressed names (`comfyui-rx/<hash>.<ext>`, sent once). Default true; `--no-dedupe` keeps the names. */
  readonly dedupe: boolean;
  readonly subfolder?: string;
  readonly type?: 'input' | 'temp' | 'output';
}

/** The usage mistakes, before anything connects. */
function checkUsage(files: readonly string[], options: UploadCommandOptions): void {
  if (options.original !== undefined && options.mask === undefined) throw new CliUsageError('--original names the image a --mask applies to: give --mask MASK too');
  if (options.mask !== undefined) {
    if (options.original !== undefined && files.length > 0) throw new CliUsageError('--mask goes onto one image: either upload IMAGE --mask MASK, or --mask MASK --original NAME (an image already on the server), not both');
    if (options.original === undefined && files.length !== 1) throw new CliUsageError('upload IMAGE --mask MASK puts the mask onto that one IMAGE: give exactly one file (or --original NAME)');
  } else if (files.length === 0) throw new CliUsageError('nothing to upload: give FILE... (or --mask MASK --original NAME)');
}

/**
 * `comfyui-rx upload FILE...`: uploads each file (path or http(s) URL) and prints the stored name,
 * the value a Load node takes. `upload IMAGE --mask MASK` uploads the image, then the mask onto
 * it (prints both; the masked image last); `upload --mask MASK --original NAME` masks an image
 * already on the server. Content-addressed unless `--no-dedupe`. Exit 2 for a file that cannot
 * be read or a mask whose original the server lacks, 3 when the server cannot be reached.
 */
export async function uploadCommand(ctx: CliContext, files: readonly string[], options: UploadCommandOptions): Promise<ExitCode> {
  checkUsage(files, options);
  const { url } = serverUrl(ctx.urlFlag, ctx.env);
  const client = new ComfyClient({ url, logger: ctx.logger, lingerMs: 0 });
  await checkServer(client, ctx.connectTimeoutMs);
  const abort$ = fromEvent(ctx.signal, 'abort');
  const base = { dedupe: options.dedupe, ...(options.subfolder !== undefined ? { subfolder: options.subfolder } : {}), ...(options.type ? { type: options.type } : {}) };
  const print = (source: string, file: UploadedFile, mask = false): void =>
    ctx.out(ctx.json ? `${JSON.stringify({ type: 'uploaded', source, ...(mask ? { mask: true } : {}), file })}\n` : `${file.value}\n`);
  const upload = (source: string, extra: object = {}): Promise<UploadedFile> => firstValueFrom(client.upload(source, { ...base, ...extra }).pipe(takeUntil(abort$)));
  try {
    if (options.mask !== undefined) {
      let original: UploadedFile | string | undefined = options.original;
      if (original === undefined) {
        const image = files[0] as string;
        original = await upload(image);
        print(image, original);
      }
      print(options.mask, await upload(options.mask, { mask: { original } }), true);
      return ExitCode.ok;
    }
    for (const file of files) print(file, await upload(file));
    return ExitCode.ok;
  } catch (error) {
    if (ctx.signal.aborted) return ExitCode.interrupted;
    throw error;
  } finally {
    client.close();
  }
}
