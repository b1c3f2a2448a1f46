/**
 * `comfyui-rx/testing`: a protocol-faithful ComfyUI stand-in for tests, benchmarks and demos.
 */
export { FakeComfyServer } from './FakeComfyServer';
export type { FakeFileRef, FakeServerStats } from './FakeComfyServer';
export { FakeComfyServerOptions } from './fakeServerOptions';
export type { NodeLatency } from './fakeServerOptions';
export type { FakeServerEventMap, FakeServerEventName, FakePromptStatus, FakeServerEmitter } from './fakeServerEvents';
export type { FolderType } from './server/fileStore';
export type { FaultRoute } from './server/faultPlan';
export type { OutgoingMessage } from './server/wsEndpoint';
export { INVALID_JSON, RecordingSocket, ComfySocketRefusedError } from './recordingSocket';
export type { ObservedFrame } from './traces';
