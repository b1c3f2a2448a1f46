import { outputFiles } from '../outputs/outputFiles';
import type { NodeOutput } from '../protocol/messages';
import { isPlainObject } from '../util/isPlainObject';

/** Node classes whose images reach the client only over the socket (no file on the server to download). */
const SOCKET_OUTPUT_CLASSES: ReadonlySet<string> = new Set(['SaveImageWebsocket']);

/** Outputs of a finished prompt that were not saved to files, and why. */
export interface UnsavedOutput {
  readonly nodeId: string;
  readonly classType?: string;
  /** `temp`: files in the server's temp folder (PreviewImage), saved with `--include-temp`; `socket`: images sent over the socket only. */
  readonly reason: 'temp' | 'socket';
  /** Temp files left on the server (0 for `socket`). */
  readonly files: number;
}

/**
 * What a prompt produced that the CLI does not save, so it can say so rather than drop it: temp
 * files (unless `includeTemp`), and the images of socket-only savers (`SaveImageWebsocket`) of
 * the workflow. In node order.
 * @example unsavedOutputs(done.outputs, workflow, false) // [{ nodeId: '10', classType: 'PreviewImage', reason: 'temp', files: 1 }]
 */
export function unsavedOutputs(outputs: Readonly<Record<string, NodeOutput>>, workflow: Readonly<Record<string, unknown>>, includeTemp: boolean): UnsavedOutput[] {
  const classOf = (nodeId: string): string | undefined => {
    const node = workflow[nodeId];
    const classType = isPlainObject(node) ? node.class_type : undefined;
    return typeof classType === 'string' ? classType : undefined;
  };
  const temp = new Map<string, number>();
  if (!includeTemp) for (const file of outputFiles(outputs, { includeTemp: true })) if (file.file.type === 'temp') temp.set(file.nodeId, (temp.get(file.nodeId) ?? 0) + 1);
  const unsaved: UnsavedOutput[] = [];
  for (const [nodeId, files] of temp) unsaved.push({ nodeId, ...withClass(classOf(nodeId)), reason: 'temp', files });
  for (const nodeId of Object.keys(workflow)) {
    const classType = classOf(nodeId);
    if (classType !== undefined && SOCKET_OUTPUT_CLASSES.has(classType)) unsaved.push({ nodeId, classType, reason: 'socket', files: 0 });
  }
  return unsaved;
}

const withClass = (classType: string | undefined) => (classType === undefined ? {} : { classType });
