import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { firstValueFrom } from 'rxjs';
import { ComfyClient } from '../../client';
import { ComfyProtocolError } from '../../errors';
import { generateNodeTypes } from '../../workflow/codegen/generateNodeTypes';
import { ObjectInfoIndex } from '../../workflow/objectInfoIndex';
import type { CliContext } from '../CliContext';
import { CliUsageError } from '../CliUsageError';
import { checkServer } from '../checkServer';
import { ExitCode } from '../exitCodes';
import { serverUrl } from '../serverUrl';
import { clientOptions } from '../clientOptions';

/** Options of `comfyui-rx codegen`. */
export interface CodegenCommandOptions {
  /** `--object-info FILE`: a saved `GET /object_info` answer, instead of asking the server. */
  readonly objectInfo?: string;
  /** `--out FILE.ts` */
  readonly out: string;
  /** `--server-version`: the version printed in the header (default: the server's, with a URL). */
  readonly serverVersion?: string;
  /** `--import-from`: where the module imports the builder (default `comfyui-rx`). */
  readonly importFrom?: string;
}

/**
 * `comfyui-rx codegen (--url URL | --object-info FILE) --out FILE.ts`: writes the TypeScript module
 * of a server's nodes (see `generateNodeTypes`). From a server it reads `/object_info` and, for the
 * header, the version in `/system_stats`.
 */
export async function codegenCommand(ctx: CliContext, options: CodegenCommandOptions): Promise<ExitCode> {
  if (options.objectInfo !== undefined && ctx.urlFlag !== undefined) throw new CliUsageError('give --url or --object-info, not both');
  const { objectInfo, version, from } = options.objectInfo === undefined ? await fromServer(ctx) : { ...fromFile(options.objectInfo), version: undefined };
  const index = indexOf(objectInfo, from);
  const serverVersion = options.serverVersion ?? version;
  const source = generateNodeTypes(index, { serverVersion, importFrom: options.importFrom });
  mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  writeFileSync(options.out, source);
  const classes = index.classTypes().length;
  if (ctx.json) ctx.out(`${JSON.stringify({ type: 'codegen', out: options.out, classes, serverVersion: serverVersion ?? null, bytes: Buffer.byteLength(source) })}\n`);
  else ctx.out(`wrote ${options.out}: ${classes} node classes of ${serverVersion ? `ComfyUI ${serverVersion}` : 'ComfyUI (version unknown)'} from ${from}\n`);
  return ExitCode.ok;
}

async function fromServer(ctx: CliContext): Promise<{ objectInfo: unknown; version: string | undefined; from: string }> {
  const { url } = serverUrl(ctx.urlFlag, ctx.env);
  const client = new ComfyClient({ url, ...clientOptions(ctx), lingerMs: 0 });
  await checkServer(client, ctx.connectTimeoutMs);
  const [objectInfo, stats] = await Promise.all([firstValueFrom(client.http.objectInfo()), firstValueFrom(client.http.systemStats())]);
  return { objectInfo, version: stats.system.comfyui_version ?? undefined, from: client.url };
}

function fromFile(file: string): { objectInfo: unknown; from: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return { objectInfo: JSON.parse(text) as unknown, from: file };
  } catch (err) {
    throw new CliUsageError(`${file} is not JSON: ${(err as Error).message}`);
  }
}

function indexOf(objectInfo: unknown, from: string): ObjectInfoIndex {
  try {
    return ObjectInfoIndex.from(objectInfo);
  } catch (err) {
    if (err instanceof ComfyProtocolError) throw new CliUsageError(`${from} is not an /object_info answer: ${err.message}`, { cause: err });
    throw err;
  }
}
