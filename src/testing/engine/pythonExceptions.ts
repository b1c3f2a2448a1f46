/**
 * Exceptions of the simulated Python side. They never leave the fake: the executor turns them into
 * `execution_error` / `execution_interrupted`, and validation into `node_errors`.
 */

/** The first frames of every node failure's traceback, as ComfyUI 0.8.0 prints them. */
export const EXECUTION_TRACEBACK_HEAD: readonly string[] = [
  '  File "/opt/ComfyUI/execution.py", line 518, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, v3_data=v3_data)\n                                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n',
  '  File "/opt/ComfyUI/execution.py", line 329, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, v3_data=v3_data)\n                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n',
  '  File "/opt/ComfyUI/execution.py", line 303, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n',
  '  File "/opt/ComfyUI/execution.py", line 291, in process_inputs\n    result = f(**inputs)\n             ^^^^^^^^^^^\n',
];

/** A Python exception raised by a node or by validation (one class, shared with the validator). */
export { PyException } from '../../workflow/validate/pyException';

/** `InterruptProcessingException`: the interrupt flag was seen at a check point. */
export class InterruptSignal extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptSignal';
  }
}

/** The run was abandoned (server restart or stop): it must vanish without a message. */
export class RunAborted extends Error {
  constructor() {
    super('run aborted');
    this.name = 'RunAborted';
  }
}

/** A traceback frame of a node's own source, in the format of the recorded ones. */
export function nodeFrame(file: string, line: number, fn: string, code: string): string {
  return `  File "${file}", line ${line}, in ${fn}\n    ${code}\n`;
}
