/**
 * The traceback frames ComfyUI 0.8.0 prints in `extra_info.traceback` (recorded from the real
 * server, which runs from /opt/ComfyUI): the frame that catches, then the frame that raised.
 */
const frame = (line: number, fn: string, code: string, marker: string) =>
  `  File "/opt/ComfyUI/execution.py", line ${line}, in ${fn}\n    ${code}\n${marker ? `${marker}\n` : ''}`;

/** `validate_prompt` calling an output's `validate_inputs` (exception_during_validation). */
export const VALIDATE_PROMPT_FRAME = frame(1043, 'validate_prompt', 'm = await validate_inputs(prompt_id, prompt, o, validated)', `        ${'^'.repeat(54)}`);
/** `validate_inputs` calling a linked node's `validate_inputs` (exception_during_inner_validation). */
export const INNER_VALIDATE_FRAME = frame(838, 'validate_inputs', 'r = await validate_inputs(prompt_id, prompt, o_id, validated)', `        ${'^'.repeat(57)}`);
/** A node without `inputs`. */
export const INPUTS_LOOKUP_FRAME = frame(755, 'validate_inputs', "inputs = prompt[unique_id]['inputs']", `             ${'~'.repeat(17)}${'^'.repeat(10)}`);
/** A link to a node the prompt lacks (or an unhashable node id). */
export const LINK_LOOKUP_FRAME = frame(818, 'validate_inputs', "o_class_type = prompt[o_id]['class_type']", `                   ${'~'.repeat(6)}${'^'.repeat(6)}`);
/** A link slot past the outputs, or not an int. */
export const RETURN_TYPE_FRAME = frame(820, 'validate_inputs', 'received_type = r[val[1]]', `                    ~${'^'.repeat(8)}`);
/** Reading an input of a node whose `inputs` is not a dict (not recorded: line of the 0.8.0 loop). */
export const INPUT_READ_FRAME = frame(783, 'validate_inputs', 'if x not in inputs:', '');
/** A bound compared with a value Python cannot order (not recorded). */
export const BOUND_CHECK_FRAME = frame(893, 'validate_inputs', 'if "min" in extra_info and val < extra_info["min"]:', '');
/** A node's own VALIDATE_INPUTS (the last two frames are those of every node call). */
export const CUSTOM_VALIDATE_FRAMES: readonly string[] = [
  frame(956, 'validate_inputs', 'ret = await _async_map_node_over_list(prompt_id, unique_id, obj_class, input_filtered, validate_function_name, v3_data=v3_data)', ''),
  frame(303, '_async_map_node_over_list', 'await process_inputs(input_dict, i)', ''),
  frame(291, 'process_inputs', 'result = f(**inputs)', `             ${'^'.repeat(11)}`),
];
