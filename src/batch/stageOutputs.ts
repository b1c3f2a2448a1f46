import { Observable, type OperatorFunction } from 'rxjs';
import { InputFile } from '../inputs/inputFile';
import { serverOutput } from '../inputs/serverOutput';
import { type OutputFilesOptions, outputFiles } from '../outputs/outputFiles';
import type { BatchEvent } from './batchEvents';
import { type BatchClient, type BatchTarget, type BatchTargetSource, toBatchTarget } from './batchTarget';

/** Options of {@link stageOutputs}. */
export interface StageOutputsOptions extends OutputFilesOptions {
  /** Output keys taken (`images`, `gifs`, `video`, `audio`...). Default: every key (`outputFiles`). */
  readonly kinds?: readonly string[];
  /** Only these output nodes (ids). Default: all. */
  readonly nodes?: readonly string[];
}

/**
 * Chains batches: turns one stage's outputs (the files each finished item saved on its server)
 * into input handles for the next stage, in the order the items finished. A handle used on the
 * server that made the file is its annotated name there (`"ComfyUI_00001_.png [output]"`: no
 * upload); on another server (a pool) it is downloaded from the first and uploaded to the second.
 * ```text
 * source:  -i-p-D-i-p-D-S|     i item-start, p a prompt event (D's item done), S summary
 * result:  -----a-----b--|     a, b: one handle per output file of each finished item
 * ```
 * @param target The first stage's target (its `httpFor(done)` says where each file is).
 * @example
 * const stills = await lastValueFrom(generate({ target: comfy, workflow: t2i, descriptions }).pipe(stageOutputs(comfy), toArray()));
 * generate({ target: comfy, workflow: i2v, inputs: stills, strategy: image2video() }).subscribe(...);
 */
export function stageOutputs(target: BatchClient | BatchTarget | BatchTargetSource, options: StageOutputsOptions = {}): OperatorFunction<BatchEvent, InputFile> {
  const batchTarget = toBatchTarget(target);
  const kinds = options.kinds ? new Set(options.kinds) : undefined;
  const nodes = options.nodes ? new Set(options.nodes) : undefined;
  return (source) =>
    new Observable<InputFile>((subscriber) =>
      source.subscribe({
        next: (event) => {
          if (event.type !== 'prompt' || event.event.type !== 'done') return;
          const done = event.event;
          const origin = batchTarget.httpFor(done);
          for (const file of outputFiles(done.outputs, options)) {
            if ((kinds && !kinds.has(file.kind)) || (nodes && !nodes.has(file.nodeId))) continue;
            subscriber.next(new InputFile(serverOutput(file.file, origin)));
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
