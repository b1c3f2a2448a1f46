/**
 * `comfyui-rx/protocol`: the wire format of a ComfyUI server, for the few who speak it directly
 * (proxies, recorders, other fakes). Each schema is a zod schema and, under the same name, the
 * type it checks (`z.infer`): WebSocket messages and their parser, the binary frame codec, HTTP
 * bodies, `/object_info`, the validation answers, Python's JSON dialect, and the editor's UI
 * workflow format. The root entry re-exports only the types its signatures use.
 */
export * from './messages';
export * from './binary';
export * from './api';
export * from './objectInfo';
export * from './validation';
export * from './pythonJson';
export * from './nodeReplacements';
export { UiWorkflow, UiNode, UiLink, UiSubgraph, UiGroupNode } from '../workflow/convert/uiWorkflow';
/** The Comfy API v2 wire schemas (jobs, assets, event stream), `V2`-prefixed. */
export * from '../surfaces/v2/wire';
