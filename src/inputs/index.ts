/** Media in: uploads, content-addressed dedupe, lazy input handles resolved on the server that runs. */
export { inputFile, InputFile, isInputFile, type InputFileOptions } from './inputFile';
export { type UploadOptions, uploadInput } from './upload';
export { type UploadedFile, uploadedFile, storedFileOf } from './uploadedFile';
export { serverOutput, ServerOutput } from './serverOutput';
export { ComfyInputError, type InputFailure } from './errors';
export { type InputSource, isInputSource, describeSource, classifySource, type ClassifiedSource } from './inputSource';
export type { InputContent } from './inputContent';
export type { InputSurface, PlaceRequest } from './inputSurface';
export { nativeInputSurface, type InputHttp } from './nativeSurface';
export { InputPlacer, contentName, type Placement } from './inputPlacer';
export { resolveInputs, hasInputFiles, type InputValue, type InputsOption, type ResolvedInputs } from './resolveInputs';
export { runWithInputs, type RunResolved } from './runWithInputs';
export { prepareContent, type PrepareOptions } from './prepareContent';
export { CONTENT_SUBFOLDER, DEFAULT_INLINE_INPUT_BYTES, INPUTS_METADATA_KEY } from './constants';
