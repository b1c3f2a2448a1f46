/**
 * `comfyui-rx`: the public API, grouped by what a user does. Each group is one export statement
 * below; the README's API section follows the same order. The wire schemas and codecs (zod
 * schemas of every message and HTTP body, the binary frame codec, Python's JSON) live in
 * `comfyui-rx/protocol`; only the wire *types* that public signatures use are re-exported here.
 *
 * Every change of this surface shows in `api/comfyui-rx.api.md` (`npm run api:update`).
 */
import { type ComfyApi, ComfyClient, type ComfyClientOptions, type PromptState, type RunAsyncOptions } from './client';
import type { CancelResult } from './surfaces/cancelResult';
import { DEFAULT_FOLLOW_TIMING, type FollowTiming } from './surfaces/v2/followJob';
import { V2Http, type V2HttpOptions, type V2JobQuery, type V2StreamItem } from './surfaces/v2/v2Http';
import { type V2ErrorInfo, ComfyApiError, ComfyApiValidationError, ComfyAuthError, ComfyCreditsError, ComfyRateLimitError } from './surfaces/v2/errors';
import { type ContentHash, contentHash } from './surfaces/v2/assets/contentHash';
import type { V2Asset, V2Health, V2Job, V2JobList, V2JobRequest, V2JobStatus, V2Output, V2PreviewEvent, V2Progress, V2StatusEvent, V2StreamEvent } from './surfaces/v2/wire';
import { ComfyHttp, type ComfyHttpOptions, type JobCancel, type JobLookup, type UploadRequest, type ViewResponse } from './transport/http';
import type { UploadFile } from './transport/upload';
import type { WebSocketConstructor } from './transport/socket';
import type { ComfyEndpoint } from './transport/endpoint';
import type { ConnectionEvent } from './transport/socketHub';
import { type RetryOptions, type RetryPolicy, TRANSIENT_STATUSES } from './transport/retryPolicy';
import type { RunOptions } from './prompt/runOptions';
import type { WatchOptions } from './prompt/watchPrompt';
import type { DoneEvent, PromptEvent, PromptEventType } from './prompt/events';
import type { PreviewPolicy } from './prompt/previewPolicy';
import { ObjectInfoCache } from './objectInfo/objectInfoCache';
import {
  CONTENT_SUBFOLDER,
  ComfyInputError,
  INPUTS_METADATA_KEY,
  InputFile,
  type InputContent,
  type InputFailure,
  type InputFileOptions,
  type InputHttp,
  InputPlacer,
  type InputSource,
  type InputSurface,
  type InputValue,
  type InputsOption,
  type ClassifiedSource,
  type PlaceRequest,
  type Placement,
  type ResolvedInputs,
  type UploadOptions,
  type UploadedFile,
  inputFile,
  isInputFile,
  nativeInputSurface,
  resolveInputs,
  serverOutput,
  ServerOutput,
  storedFileOf,
} from './inputs';
import { type InputPathLookup, describeInputPathLookup, locateInputPath } from './workflow/locateInputPath';

import type {
  HistoryEntry,
  HistoryResponse,
  Job,
  JobStatus,
  NodeErrors,
  OutputFileRef,
  PromptQueueInfo,
  PromptRequest,
  PromptResponse,
  QueueResponse,
  SystemStats,
  UploadResponse,
  ValidationReason,
  Workflow,
  WorkflowNode,
} from './protocol/api';
import type { ComfyMessage, ComfyMessageType, ExecutionErrorData, FeatureFlags, KnownMessage, NodeOutput, UnknownMessage } from './protocol/messages';
import type { NodeReplacement, NodeReplacementTable } from './protocol/nodeReplacements';
import type { BinaryMessage } from './protocol/binary';
import type { InputOptions, InputSpec, NodeDefinition, ObjectInfo } from './protocol/objectInfo';
import type { PromptValidation, ServerNodeErrors, ServerValidationReason } from './protocol/validation';

import {
  type BatchClient,
  type BatchEvent,
  type BatchEventType,
  type BatchItem,
  type BatchSummary,
  type BatchTarget,
  type LocationKey,
  type Locations,
  type LocatorSpec,
  type ClassInput,
  type PathOverrides,
  type SeedPolicy,
  type Strategy,
  type StrategySettings,
  type Text2ImageSettings,
  type MissingLocation,
  DEFAULT_FILE_PATTERN,
  FILE_PATTERN_TOKENS,
  LOCATION_KEYS,
  clientTarget,
  compileFilePattern,
  detectStrategy,
  generate,
  type GenerateOptions,
  isBatchTarget,
  locateByClass,
  text2image,
  text2video,
  image2image,
  type Image2ImageSettings,
  image2video,
  stageOutputs,
  type StageOutputsOptions,
  inputsInFolder,
  type InputFolder,
  type BatchInput,
  INPUT_FILE_PATTERN,
  LOAD_IMAGE_PLACES,
} from './batch';
import type { BatchTargetSource } from './batch/generate';
import type { TokenValue } from './batch/fileNamePattern';
import {
  MILESTONE_STEP_PERCENT,
  PROGRESS_TICK_MS,
  type ProgressState,
  type ProgressView,
  type ProgressViewOptions,
  formatDuration,
  formatProgressLine,
  progressMilestones,
  progressView,
} from './progress';

import {
  ComfyPool,
  type ComfyPoolOptions,
  type PoolUrlServer,
  type PoolClientServer,
  type DispatchedEvent,
  type PlacementRequest,
  type PoolClient,
  type PoolDoneEvent,
  type PoolEvent,
  type PoolHttp,
  type PoolServerStatus,
  type PoolServerView,
  type PoolStrategy,
  type PoolStrategyFn,
  type ServerHealth,
  type ServerPromptEvent,
  type ServerRefusal,
  leastLoaded,
  roundRobin,
} from './pool';

import { type AddOptions, Link, NodeHandle, type NodeSpec, type NodeTypeMap, type UntypedNodes, WorkflowBuilder, type WorkflowBuilderOptions } from './workflow/builder';
import { type GenerateNodeTypesOptions, generateNodeTypes } from './workflow/codegen/generateNodeTypes';
import { type ValidatePromptOptions, type ValidationEnvironment, validatePrompt } from './workflow/validate/validatePrompt';
import { SERVER_DIALECTS, type ServerDialect, type ServerTraits, serverDialect } from './workflow/server/serverTraits';
import { applyNodeReplacements } from './workflow/server/applyNodeReplacements';
import { type ReproducibleWorkflow, type UnplacedValue, reproducibleWorkflow } from './workflow/reproduce/reproducibleWorkflow';
import { type ToApiPromptOptions, type ToApiPromptResult, toApiPrompt } from './workflow/convert/toApiPrompt';
import { isApiPrompt, isUiWorkflow } from './workflow/convert/isUiWorkflow';
import type { UiGroupNode, UiLink, UiNode, UiSubgraph, UiWorkflow } from './workflow/convert/uiWorkflow';
import type { ApiPrompt, ApiPromptNode } from './workflow/apiPrompt';
import type { ConversionWarning, ConversionWarningType } from './workflow/convert/warnings';
import { DEFAULT_VIRTUAL_NODE_TYPES } from './workflow/convert/classifyNode';
import { type DeclaredInput, type DeclaredOutput, type NodeClass, ObjectInfoIndex } from './workflow/objectInfoIndex';
import {
  type EmbeddedContainer,
  type EmbeddedWorkflow,
  type PngMetadata,
  type RandomAccessReader,
  embedPngMetadata,
  fileHandleReader,
  readEmbeddedWorkflow,
  readEmbeddedWorkflowFrom,
  readEmbeddedWorkflowFromFile,
} from './workflow/embedded';

import {
  type OnExisting,
  type OutputFile,
  type OutputFilesOptions,
  type SavedFile,
  type ViewSource,
  type WriteResult,
  ComfyOutputExistsError,
  ComfyPathEscapeError,
  type SaveOptions,
  containedPath,
  outputFiles,
  safeFileName,
  saveOutputFile,
  saveOutputs,
} from './outputs';

import {
  type Issues,
  type MissingNodeType,
  ComfyConnectionError,
  ComfyExecutionError,
  ComfyHttpError,
  ComfyInterruptedError,
  ComfyInvalidPromptError,
  ComfyInvalidUiWorkflowError,
  ComfyMalformedFileError,
  ComfyMissingNodeTypesError,
  ComfyNoWorkflowError,
  ComfyOptionsError,
  ComfyPromptLostError,
  ComfyPromptRejectedError,
  ComfyProtocolError,
  ComfyRetriesExhaustedError,
  ComfyRxError,
  ComfyServerWouldFailError,
  ComfyTimeoutError,
  ComfyUnknownInputError,
  ComfyUnknownNodeClassError,
  ComfyUnknownOutputError,
  ComfyValidationError,
} from './errors';
import { ComfyLocateError } from './batch/comfyLocateError';
import { ComfyNoServerError, ComfyPoolClosedError } from './pool/errors';

import { afterFirst } from './operators/afterFirst';
import { type DeadlineConfig, deadline } from './operators/deadline';
import { type FirstFinalConfig, firstFinal } from './operators/firstFinal';
import { fromAbortable } from './operators/fromAbortable';
import { type KeepLatestConfig, keepLatest } from './operators/keepLatest';
import { type OnAbandonConfig, onAbandon } from './operators/onAbandon';
import { type BackoffPolicy, type ReconnectNotice, type ReconnectWithBackoffConfig, backoffDelay, reconnectWithBackoff } from './operators/reconnectWithBackoff';
import { type RetryAttempt, type RetryBudget, type RetryStop, type RetryTransientConfig, retryTransient } from './operators/retryTransient';
import { type SilenceTicksConfig, silenceTicks } from './operators/silenceTicks';
import { type ThrottleLatestConfig, throttleLatest } from './operators/throttleLatest';

/** Client and events: connect to one server, run or watch prompts, follow their events, read its HTTP API. */
export {
  ComfyClient,
  type ComfyClientOptions,
  type WebSocketConstructor,
  type RunOptions,
  type RunAsyncOptions,
  type WatchOptions,
  type PromptState,
  type PreviewPolicy,
  type PromptEvent,
  type PromptEventType,
  type DoneEvent,
  type ConnectionEvent,
  ObjectInfoCache,
  ComfyHttp,
  type ComfyHttpOptions,
  type ComfyEndpoint,
  type ViewResponse,
  type UploadRequest,
  type UploadFile,
  type JobLookup,
  type JobCancel,
  type RetryOptions,
  type RetryPolicy,
  TRANSIENT_STATUSES,
  type CancelResult,
};

/**
 * Surfaces: the Comfy API v2 (Comfy Cloud, serverless deployments, comfy-api-proxy) beside the
 * native protocol, behind the same client (`new ComfyClient({ url, api: 'v2', apiKey })`); its
 * REST client and wire types for those who call it directly.
 */
export {
  type ComfyApi,
  V2Http,
  type V2HttpOptions,
  type V2JobQuery,
  type V2StreamItem,
  type V2Health,
  type V2JobRequest,
  type V2JobList,
  type FollowTiming,
  DEFAULT_FOLLOW_TIMING,
  contentHash,
  type ContentHash,
  type V2Job,
  type V2JobStatus,
  type V2Output,
  type V2Asset,
  type V2Progress,
  type V2StreamEvent,
  type V2StatusEvent,
  type V2PreviewEvent,
};

/**
 * Wire types that public signatures use (types only; their zod schemas, the message parser and the
 * binary codec are in `comfyui-rx/protocol`).
 */
export type {
  Workflow,
  WorkflowNode,
  ObjectInfo,
  NodeDefinition,
  InputSpec,
  InputOptions,
  ComfyMessage,
  ComfyMessageType,
  KnownMessage,
  BinaryMessage,
  UnknownMessage,
  ExecutionErrorData,
  NodeOutput,
  PromptRequest,
  PromptResponse,
  HistoryEntry,
  HistoryResponse,
  QueueResponse,
  PromptQueueInfo,
  Job,
  JobStatus,
  OutputFileRef,
  UploadResponse,
  SystemStats,
  FeatureFlags,
  NodeReplacement,
  NodeReplacementTable,
  NodeErrors,
  ValidationReason,
  PromptValidation,
  ServerNodeErrors,
  ServerValidationReason,
};

/** Batches: many prompts from one template and a list of descriptions, with strategies, seeds, file names and progress. */
export {
  generate,
  type GenerateOptions,
  type BatchEvent,
  type BatchEventType,
  type BatchItem,
  type BatchSummary,
  type BatchTarget,
  type BatchTargetSource,
  type BatchClient,
  clientTarget,
  isBatchTarget,
  text2image,
  type Text2ImageSettings,
  text2video,
  image2image,
  type Image2ImageSettings,
  image2video,
  stageOutputs,
  type StageOutputsOptions,
  inputsInFolder,
  type InputFolder,
  type BatchInput,
  INPUT_FILE_PATTERN,
  LOAD_IMAGE_PLACES,
  detectStrategy,
  type Strategy,
  type StrategySettings,
  type Locations,
  type LocationKey,
  LOCATION_KEYS,
  type LocatorSpec,
  type ClassInput,
  type PathOverrides,
  type MissingLocation,
  locateByClass,
  type SeedPolicy,
  compileFilePattern,
  DEFAULT_FILE_PATTERN,
  FILE_PATTERN_TOKENS,
  type TokenValue,
  progressView,
  progressMilestones,
  formatProgressLine,
  formatDuration,
  PROGRESS_TICK_MS,
  MILESTONE_STEP_PERCENT,
  type ProgressView,
  type ProgressViewOptions,
  type ProgressState,
};

/** Pool: many servers behind one `run`, with placement strategies, limits, health and failover. */
export {
  ComfyPool,
  type ComfyPoolOptions,
  type PoolUrlServer,
  type PoolClientServer,
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
  type ServerRefusal,
  leastLoaded,
  roundRobin,
};

/** Workflows: build them in code, convert the editor's format, validate against a server, read them from files. */
export {
  WorkflowBuilder,
  type WorkflowBuilderOptions,
  NodeHandle,
  Link,
  type AddOptions,
  type NodeSpec,
  type NodeTypeMap,
  type UntypedNodes,
  generateNodeTypes,
  type GenerateNodeTypesOptions,
  toApiPrompt,
  type ToApiPromptOptions,
  type ToApiPromptResult,
  type ConversionWarning,
  type ConversionWarningType,
  DEFAULT_VIRTUAL_NODE_TYPES,
  isUiWorkflow,
  isApiPrompt,
  type UiWorkflow,
  type UiNode,
  type UiLink,
  type UiSubgraph,
  type UiGroupNode,
  type ApiPrompt,
  type ApiPromptNode,
  validatePrompt,
  type ValidatePromptOptions,
  type ValidationEnvironment,
  serverDialect,
  SERVER_DIALECTS,
  type ServerDialect,
  type ServerTraits,
  applyNodeReplacements,
  reproducibleWorkflow,
  type ReproducibleWorkflow,
  type UnplacedValue,
  ObjectInfoIndex,
  type NodeClass,
  type DeclaredInput,
  type DeclaredOutput,
  type MissingNodeType,
  readEmbeddedWorkflow,
  readEmbeddedWorkflowFromFile,
  readEmbeddedWorkflowFrom,
  fileHandleReader,
  embedPngMetadata,
  type EmbeddedWorkflow,
  type EmbeddedContainer,
  type RandomAccessReader,
  type PngMetadata,
};

/**
 * Inputs: media files into workflows. `comfy.upload(source)`; `inputFile(source)` handles placed on
 * the server that runs the prompt; content-addressed dedupe; `run(workflow, { inputs })`.
 */
export {
  inputFile,
  InputFile,
  isInputFile,
  type InputFileOptions,
  type InputSource,
  type ClassifiedSource,
  type InputValue,
  type InputsOption,
  type UploadOptions,
  type UploadedFile,
  storedFileOf,
  serverOutput,
  ServerOutput,
  type InputFailure,
  resolveInputs,
  type ResolvedInputs,
  InputPlacer,
  type Placement,
  type InputSurface,
  type PlaceRequest,
  type InputContent,
  nativeInputSurface,
  type InputHttp,
  locateInputPath,
  describeInputPathLookup,
  type InputPathLookup,
  CONTENT_SUBFOLDER,
  INPUTS_METADATA_KEY,
};

/** Outputs: list, download and save what a prompt produced, with safe local names inside the output folder. */
export {
  saveOutputs,
  saveOutputFile,
  type SaveOptions,
  type SavedFile,
  type ViewSource,
  outputFiles,
  type OutputFile,
  type OutputFilesOptions,
  safeFileName,
  containedPath,
  type OnExisting,
  type WriteResult,
};

/** Errors: every error the library emits extends `ComfyRxError` and carries a stable `code`. */
export {
  ComfyRxError,
  type Issues,
  ComfyOptionsError,
  ComfyProtocolError,
  ComfyConnectionError,
  ComfyRetriesExhaustedError,
  ComfyHttpError,
  ComfyValidationError,
  ComfyPromptRejectedError,
  ComfyInvalidPromptError,
  ComfyInvalidUiWorkflowError,
  ComfyServerWouldFailError,
  ComfyMissingNodeTypesError,
  ComfyExecutionError,
  ComfyInterruptedError,
  ComfyPromptLostError,
  ComfyTimeoutError,
  ComfyNoWorkflowError,
  ComfyMalformedFileError,
  ComfyUnknownNodeClassError,
  ComfyUnknownInputError,
  ComfyUnknownOutputError,
  ComfyLocateError,
  ComfyNoServerError,
  ComfyPoolClosedError,
  ComfyPathEscapeError,
  ComfyOutputExistsError,
  ComfyInputError,
  ComfyApiError,
  type V2ErrorInfo,
  ComfyAuthError,
  ComfyCreditsError,
  ComfyRateLimitError,
  ComfyApiValidationError,
};

/**
 * Operators: the RxJS building blocks the library is made of, for composing your own flows. Each
 * takes one argument: a config object (its `scheduler` drives time, virtual in tests), or, for
 * `afterFirst`, the gate alone.
 */
export {
  afterFirst,
  deadline,
  type DeadlineConfig,
  firstFinal,
  type FirstFinalConfig,
  keepLatest,
  type KeepLatestConfig,
  throttleLatest,
  type ThrottleLatestConfig,
  silenceTicks,
  type SilenceTicksConfig,
  onAbandon,
  type OnAbandonConfig,
  fromAbortable,
  reconnectWithBackoff,
  type ReconnectWithBackoffConfig,
  backoffDelay,
  type BackoffPolicy,
  type ReconnectNotice,
  retryTransient,
  type RetryBudget,
  type RetryTransientConfig,
  type RetryAttempt,
  type RetryStop,
};
