export { ComfyClient, ComfyClientOptions, type RunAsyncOptions } from './client';
export type { RunOptions } from './prompt/runPrompt';
export type { WatchOptions } from './prompt/watchPrompt';
export type { PromptEvent, PromptEventType, DoneEvent } from './prompt/events';
export type { ConnectionEvent } from './transport/socketHub';
export { ComfyHttp, type ComfyHttpOptions, type ViewResponse } from './transport/http';
export {
  ComfyRxError,
  ComfyProtocolError,
  ComfyConnectionError,
  ComfyHttpError,
  ComfyValidationError,
  ComfyExecutionError,
  ComfyInterruptedError,
  ComfyPromptLostError,
  ComfyTimeoutError,
  ComfyOptionsError,
} from './errors';
export { afterFirst } from './operators/afterFirst';
export { deadline } from './operators/deadline';
export { silenceTicks } from './operators/silenceTicks';
export { reconnectWithBackoff, backoffDelay, type BackoffPolicy, type ReconnectNotice } from './operators/reconnectWithBackoff';
export * from './protocol';
export {
  saveOutputs,
  saveOutputFile,
  SaveOptions,
  type SavedFile,
  type ViewSource,
  outputFiles,
  type OutputFile,
  type OutputFilesOptions,
  safeFileName,
  containedPath,
  PathEscapeError,
  OutputExistsError,
  type OnExisting,
  type WriteResult,
} from './outputs';
export {
  generate,
  GenerateOptions,
  type BatchEvent,
  type BatchEventType,
  type BatchItem,
  type BatchSummary,
  type BatchTarget,
  clientTarget,
  isBatchTarget,
  text2image,
  text2video,
  detectStrategy,
  type Strategy,
  type StrategySettings,
  type Locations,
  type LocationKey,
  type PathOverrides,
  locateByClass,
  ComfyLocateError,
  type SeedPolicy,
  compileFilePattern,
  DEFAULT_FILE_PATTERN,
  FILE_PATTERN_TOKENS,
} from './batch';
export {
  progressView,
  progressMilestones,
  formatProgressLine,
  formatDuration,
  PROGRESS_TICK_MS,
  MILESTONE_STEP_PERCENT,
  type ProgressView,
  type ProgressViewOptions,
  type ProgressState,
} from './progress';
export {
  ComfyPool,
  ComfyPoolOptions,
  type PoolServerStatus,
  type PoolClient,
  type PoolHttp,
  type ServerHealth,
  type PoolEvent,
  type DispatchedEvent,
  type ServerPromptEvent,
  type PoolDoneEvent,
  type PoolStrategy,
  type PoolStrategyFn,
  type PoolServerView,
  type PlacementRequest,
  leastLoaded,
  roundRobin,
  ComfyNoServerError,
  ComfyPoolClosedError,
  type ServerRefusal,
} from './pool';
export {
  WorkflowBuilder,
  type WorkflowBuilderOptions,
  NodeHandle,
  Link,
  type AddOptions,
  type NodeSpec,
  type NodeTypeMap,
  type UntypedNodes,
  ComfyUnknownNodeClassError,
  ComfyUnknownInputError,
  ComfyUnknownOutputError,
} from './workflow/builder';
export { generateNodeTypes, type GenerateNodeTypesOptions } from './workflow/codegen/generateNodeTypes';
export { ComfyRetriesExhaustedError } from './errors';
export { retryTransient, type RetryBudget, type RetryTransientConfig, type RetryAttempt, type RetryStop } from './operators/retryTransient';
export { RetryOptions, type RetryPolicy, TRANSIENT_STATUSES } from './transport/retryPolicy';
export type { JobLookup } from './transport/http';
export { validatePrompt, type ValidatePromptOptions, type ValidationEnvironment } from './workflow/validate/validatePrompt';
export { toApiPrompt, type ToApiPromptOptions, type ToApiPromptResult } from './workflow/convert/toApiPrompt';
export { isUiWorkflow, isApiPrompt } from './workflow/convert/isUiWorkflow';
export { UiWorkflow, UiNode, UiLink, UiSubgraph, UiGroupNode } from './workflow/convert/uiWorkflow';
export type { ApiPrompt, ApiPromptNode } from './workflow/apiPrompt';
export type { ConversionWarning, ConversionWarningType } from './workflow/convert/warnings';
export { DEFAULT_VIRTUAL_NODE_TYPES } from './workflow/convert/classifyNode';
export { ObjectInfoIndex, type NodeClass, type DeclaredInput, type DeclaredOutput } from './workflow/objectInfoIndex';
export { ComfyMissingNodeTypesError, type MissingNodeType } from './errors';
export { ComfyNoWorkflowError, ComfyMalformedFileError } from './errors';
export {
  readEmbeddedWorkflow,
  readEmbeddedWorkflowFromFile,
  readEmbeddedWorkflowFrom,
  fileHandleReader,
  embedPngMetadata,
  type EmbeddedWorkflow,
  type EmbeddedContainer,
  type RandomAccessReader,
  type PngMetadata,
} from './workflow/embedded';
export {
  inputFile,
  InputFile,
  isInputFile,
  type InputFileOptions,
  type UploadOptions,
  type UploadedFile,
  storedFileOf,
  ComfyInputError,
  type InputFailure,
  type InputSource,
  type InputContent,
  type InputSurface,
  type PlaceRequest,
  nativeInputSurface,
  InputPlacer,
  resolveInputs,
  type InputValue,
  type InputsOption,
  type ResolvedInputs,
  CONTENT_SUBFOLDER,
  INPUTS_METADATA_KEY,
} from './inputs';
export { locateInputPath, describeInputPathLookup, type InputPathLookup } from './workflow/locateInputPath';
