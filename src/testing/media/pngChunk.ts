/** The PNG chunk writer is the library's (one implementation, also used by `embedPngMetadata`). */
export { PNG_SIGNATURE, pngChunk } from '../../workflow/embedded/pngChunk';
