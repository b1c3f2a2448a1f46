import path from 'node:path';
import { type Observable, map, of, toArray } from 'rxjs';
import { type ViewSource, outputFiles, saveOutputs } from '../outputs';
import type { NodeOutput } from '../protocol/messages';
import type { JobOutputReference, JobSavedFile } from './jobData';

/** The `/view` reference (URL without credentials) of every output file. */
export function outputReferences(http: ViewSource, outputs: Readonly<Record<string, NodeOutput>>): JobOutputReference[] {
  return outputFiles(outputs).map(({ nodeId, kind, file }) => ({
    nodeId,
    kind,
    filename: file.filename,
    subfolder: file.subfolder,
    type: file.type,
    // a Comfy API v2 output carries its own content URL
    url: file.url ?? http.endpoint.http('view', { filename: file.filename, subfolder: file.subfolder, type: file.type }),
  }));
}

/**
 * Saves a job's outputs under `dir/<folder>/` with the library's safe-name rules (every segment
 * sanitised, nothing outside `dir`). A file already there is kept (`skip`): a job taken over after
 * its files were written does not write them twice.
 */
export function saveJobOutputs(http: ViewSource, outputs: Readonly<Record<string, NodeOutput>>, dir: string | undefined, folder: string): Observable<JobSavedFile[]> {
  if (!dir) return of([]);
  return saveOutputs(http, outputs, { dir: path.resolve(dir), fileName: (file) => `${folder}/${file.file.filename}`, onExisting: 'skip' }).pipe(
    map((saved): JobSavedFile => ({ path: saved.path, bytes: saved.bytes, nodeId: saved.nodeId, kind: saved.kind, filename: saved.source.filename, skipped: saved.skipped })),
    toArray(),
  );
}

