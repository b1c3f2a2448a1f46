import { PassThrough, type Readable } from 'node:stream';
import type { Observable, Subscription } from 'rxjs';
import { ComfyConnectionError } from '../errors';
import type { DownloadResponse, ResumeFrom } from './download';

/**
 * The body of a download that survives breaks: when the connection drops mid-body and the server
 * allows ranges (`Accept-Ranges: bytes`, a known length), the rest is asked for with `Range` (and
 * `If-Range`, so it comes from the same file) up to `maxResumes` times, and the bytes flow on as
 * one stream. Otherwise (no ranges, resumes spent, the file changed) the stream errors, so a
 * writer that renames only complete files (`writeFileAtomically`) never lands a partial one.
 * Destroying the result stops everything. Backpressure passes through.
 * @param first The first answer (status 200).
 * @param reopen Requests the file again from a byte offset (retried by the caller's policy).
 * @param url For error messages.
 */
export function resumableBody(first: DownloadResponse, reopen: (from: ResumeFrom) => Observable<DownloadResponse>, maxResumes: number, url: string): Readable {
  const out = new PassThrough();
  const total = first.contentLength;
  const resumable = first.ranges && total !== undefined;
  let received = 0;
  let resumes = 0;
  let current: Readable | undefined;
  let pending: Subscription | undefined;

  const attach = (body: Readable): void => {
    current = body;
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => body.resume());
      }
    });
    body.once('end', () => {
      if (total === undefined || received >= total) out.end();
      else broke(new Error(`the body ended after ${received} of ${total} bytes`));
    });
    body.once('error', broke);
  };

  const broke = (cause: Error): void => {
    current?.removeAllListeners('data').removeAllListeners('end').removeAllListeners('error').on('error', () => undefined);
    current?.destroy();
    current = undefined;
    if (out.destroyed) return;
    if (!resumable || resumes >= maxResumes) {
      out.destroy(new ComfyConnectionError(`GET ${new URL(url).pathname} broke off after ${received} bytes: ${cause.message}`, url, { attempts: resumes + 1 }, { cause }));
      return;
    }
    resumes++;
    pending = reopen({ offset: received, ...(first.validator ? { validator: first.validator } : {}) }).subscribe({
      next: (part) => attach(part.body),
      error: (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
    });
  };

  out.once('close', () => {
    pending?.unsubscribe();
    current?.destroy();
  });
  attach(first.body);
  return out;
}
