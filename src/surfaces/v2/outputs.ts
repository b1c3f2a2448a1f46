import type { NodeOutput } from '../../protocol/messages';
import type { V2Output } from './wire';

/** v2 output kinds -> the output keys the native history uses for them. */
const KEY_OF_TYPE: Readonly<Record<string, string>> = { image: 'images', video: 'video', audio: 'audio', text: 'text', latent: 'latents' };

/**
 * A v2 job's outputs (assets) as the native `outputs` record (`done.outputs`): per node, per kind
 * (`images`, `video`, `audio`, `files`...), `{filename, subfolder: '', type: 'output', url,
 * asset_id}`, so `saveOutputs` and `outputFiles` treat both surfaces alike (the bytes come from
 * `url`, see `ComfyHttp.view`).
 * @param resolve Turns the output's link (absolute, or host-relative) into a URL.
 * @example nodeOutputsOf(job.outputs, (link) => http.resolve(link))['9'].images[0].url
 */
export function nodeOutputsOf(outputs: readonly V2Output[], resolve: (link: string) => string): Record<string, NodeOutput> {
  const record: Record<string, Record<string, unknown[]>> = {};
  for (const output of outputs) {
    const byKind = (record[output.node_id] ??= {});
    const key = KEY_OF_TYPE[output.type] ?? 'files';
    (byKind[key] ??= []).push({ filename: output.name, subfolder: '', type: 'output', url: resolve(output.url), asset_id: output.id });
  }
  return record;
}
