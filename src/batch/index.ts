/** Batches: many prompts from one template and a list of descriptions, on one held socket. */
export { generate, type GenerateOptions, type BatchTargetSource } from './generate';
export { type BatchEvent, type BatchEventType, type BatchItem, type BatchSummary, itemLabel } from './batchEvents';
export { type BatchTarget, type BatchClient, clientTarget, isBatchTarget } from './batchTarget';
export { runBatch, itemWorkflow, type BatchPlan, type BatchInput } from './runBatch';
export { text2image, TEXT2IMAGE_SPEC, type Text2ImageSettings } from './text2image';
export { text2video, TEXT2VIDEO_SPEC, VIDEO_LATENTS } from './text2video';
export { image2image, IMAGE2IMAGE_SPEC, type Image2ImageSettings } from './image2image';
export { image2video, IMAGE2VIDEO_SPEC, IMAGE_TO_VIDEO_NODES } from './image2video';
export { stageOutputs, type StageOutputsOptions } from './stageOutputs';
export { batchInputs, inputsInFolder, MEDIA_EXTENSIONS, type InputFolder } from './batchInputs';
export { detectStrategy } from './detectStrategy';
export {
  type Strategy,
  type StrategySettings,
  type Locations,
  type LocationKey,
  type PathOverrides,
  type LocatorSpec,
  type ClassInput,
  LOCATION_KEYS,
  LOAD_IMAGE_PLACES,
  locateByClass,
  findByClass,
} from './strategy';
export { findPositiveText, SAMPLER_POSITIVE, TEXT_ENCODER_INPUTS } from './findPositiveText';
export { ComfyLocateError, type MissingLocation } from './comfyLocateError';
export { seedSequence, randomSeed, mixSeed, MAX_SEED, type SeedPolicy } from './seeds';
export { compileFilePattern, DEFAULT_FILE_PATTERN, INPUT_FILE_PATTERN, FILE_PATTERN_TOKENS } from './fileNamePattern';
export { parseInputPath, formatInputPath, readInput, writeInput, type InputPath } from './inputPath';
