import type { UnsavedOutput } from '../unsavedOutputs';

/**
 * A line for people: `2 temp files of node 10 (PreviewImage): --include-temp saves them`, or
 * `node 9 (SaveImageWebsocket) sends its images over the socket, not as files: nothing to save`.
 * @example describeUnsaved({ nodeId: '10', classType: 'PreviewImage', reason: 'temp', files: 2 })
 */
export function describeUnsaved(output: UnsavedOutput): string {
  const node = `node ${output.nodeId}${output.classType ? ` (${output.classType})` : ''}`;
  return output.reason === 'temp'
    ? `${output.files} temp file${output.files === 1 ? '' : 's'} of ${node}: --include-temp saves ${output.files === 1 ? 'it' : 'them'}`
    : `${node} sends its images over the socket, not as files: nothing to save`;
}
