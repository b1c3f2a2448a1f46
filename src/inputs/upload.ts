import { type Observable, defer, finalize } from 'rxjs';
import { InputFile, type InputFileOptions, checkInputFileOptions } from './inputFile';
import type { InputPlacer } from './inputPlacer';
import type { InputSource } from './inputSource';
import type { UploadedFile } from './uploadedFile';

/** Options of `comfy.upload`: see {@link InputFileOptions}. */
export type UploadOptions = InputFileOptions;

/**
 * Uploads one file to the server of `placer` (`comfy.upload`): content-addressed and looked up
 * first unless `dedupe: false`; a mask with `mask.original`. Cold: subscribing reads and sends;
 * unsubscribing aborts. A spooled copy (URL, stream) is removed once the upload ended.
 * @throws ComfyOptionsError synchronously for invalid options.
 */
export function uploadInput(placer: InputPlacer, source: InputSource, options: UploadOptions = {}): Observable<UploadedFile> {
  const checked = checkInputFileOptions(options, 'upload');
  return defer(() => {
    const file = new InputFile(source, checked);
    return file.place(placer).pipe(finalize(() => file.dispose()));
  });
}
