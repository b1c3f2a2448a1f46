/** Reading (and, for PNG, writing) the workflow ComfyUI embeds in its output files. */
export { readEmbeddedWorkflow } from './readEmbeddedWorkflow';
export { readEmbeddedWorkflowFrom, readEmbeddedWorkflowFromFile } from './readEmbeddedWorkflowFromFile';
export { fileHandleReader, type RandomAccessReader } from './randomAccessReader';
export type { EmbeddedWorkflow } from './embeddedWorkflow';
export type { EmbeddedContainer } from './container';
export { embedPngMetadata, type PngMetadata } from './embedPngMetadata';
export { embedWebpMetadata } from './embedWebpMetadata';
