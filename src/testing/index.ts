/**
 * `comfyui-rx/testing`: a protocol-faithful ComfyUI stand-in for tests, benchmarks and demos.
 */
export { FakeComfyServer } from './FakeComfyServer';
export type { FakeFileRef, FakeServerStats } from './FakeComfyServer';
export type { FakeComfyServerOptions } from './fakeServerOptions';
export type { NodeLatency } from './fakeServerOptions';
export type { FakeServerEventMap, FakeServerEventName, FakePromptStatus, FakeServerEmitter } from './fakeServerEvents';
export type { FolderType } from './server/fileStore';
export type { FaultRoute } from './server/faultPlan';
export type { OutgoingMessage } from './server/wsEndpoint';
export { INVALID_JSON, RecordingSocket, ComfySocketRefusedError } from './recordingSocket';
export type { ObservedFrame } from './traces';
export { FakeV2Surface } from './v2/FakeV2Surface';
export type { FakeV2RequestLog, FakeV2Stats } from './v2/FakeV2Surface';
export { type FakeV2Options, type FakeV2Quirks, DEFAULT_V2_QUIRKS } from './v2/fakeV2Options';
