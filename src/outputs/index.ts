/** Outputs: list, download and save what a prompt produced, with safe local names. */
export { saveOutputs, saveOutputFile, type SaveOptions, type SavedFile, type ViewSource } from './saveOutputs';
export { outputFiles, type OutputFile, type OutputFilesOptions } from './outputFiles';
export { safeFileName, SAFE_NAME_MAX_BYTES } from './safeFileName';
export { containedPath, isInside, ComfyPathEscapeError } from './containedPath';
export { writeFileAtomically, checkExisting, ComfyOutputExistsError, ON_EXISTING, type OnExisting, type WriteResult, type WriteOptions } from './writeFileAtomically';
export { fromAbortable } from '../operators/fromAbortable';
