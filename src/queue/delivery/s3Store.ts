import { GetObjectCommand, HeadBucketCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Upload } from '@aws-sdk/lib-storage';
import { type Observable, concatMap, defer, from, take, toArray } from 'rxjs';
import type { ViewSource } from '../../outputs';
import { outputFiles } from '../../outputs/outputFiles';
import { safeFileName } from '../../outputs/safeFileName';
import type { NodeOutput } from '../../protocol/messages';
import { ComfyStorageError, type StorageFailure } from './errors';
import type { S3OutputOptions } from './s3Options';

/** An output written to the bucket. */
export interface StoredObject {
  readonly nodeId: string;
  readonly kind: string;
  /** The server's file name. */
  readonly filename: string;
  readonly bucket: string;
  readonly key: string;
  /** `s3://bucket/key` */
  readonly location: string;
  readonly bytes: number;
  /** A presigned GET URL, when `presignExpiresInS` is set. */
  readonly url?: string;
}

const DEFAULT_PART_SIZE = 5 * 2 ** 20;
const DEFAULT_QUEUE_SIZE = 2;

/** The reason of an S3 failure, from the SDK's error (never its message, which may quote a request). */
function failureOf(err: unknown): StorageFailure {
  const name = (err as { name?: string }).name ?? '';
  const status = err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
  if (name === 'NoSuchBucket' || name === 'NotFound' || status === 404) return 'no-such-bucket';
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden', 'ExpiredToken', 'CredentialsProviderError'].includes(name) || status === 403 || status === 401) return 'access-denied';
  if (!(err instanceof S3ServiceException)) return 'unreachable';
  return 'upload';
}

const WHAT: Record<StorageFailure, string> = {
  'no-such-bucket': 'the bucket does not exist',
  'access-denied': 'the credentials were refused',
  unreachable: 'the storage could not be reached',
  upload: 'the upload failed',
};

/**
 * Outputs streamed from ComfyUI's `/view` into an S3-compatible bucket (`@aws-sdk/lib-storage`
 * multipart uploads): nothing is written to disk and at most about `partSize x queueSize` bytes of a
 * file are held at once. Keys: `prefix/<folder>/<subfolder>/<file name>`, every segment made safe.
 */
export class S3Store {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3OutputOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      ...(options.credentials ? { credentials: { ...options.credentials } } : {}), // a copy: the SDK writes into the object it is given
      maxAttempts: 2,
    });
  }

  /** A typed error for an SDK failure (no credentials, no request in it). */
  error(err: unknown, key?: string): ComfyStorageError {
    if (err instanceof ComfyStorageError) return err;
    const reason = failureOf(err);
    const where = key ? `s3://${this.bucket}/${key}` : `bucket ${this.bucket}`;
    return new ComfyStorageError(`Cannot write outputs to ${where}: ${WHAT[reason]} (${(err as { name?: string }).name ?? 'Error'})`, reason, this.bucket, key);
  }

  /**
   * Checks that the bucket exists and the credentials may use it (a worker does this before taking jobs).
   * @throws ComfyStorageError `no-such-bucket`, `access-denied` or `unreachable`.
   */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      throw this.error(err);
    }
  }

  /** Streams each output file of `outputs` into the bucket under `folder`, one after the other. */
  upload(http: ViewSource, outputs: Readonly<Record<string, NodeOutput>>, folder: string, onBytes: (bytes: number) => void = () => undefined): Observable<StoredObject[]> {
    return defer(() => from(outputFiles(outputs))).pipe(
      concatMap(({ nodeId, kind, file }) => {
        const segments = [this.options.prefix, safeFileName(folder), ...file.subfolder.split('/').filter(Boolean).map((s) => safeFileName(s)), safeFileName(file.filename)];
        const key = segments.filter(Boolean).join('/');
        return http.view(file).pipe(
          take(1),
          concatMap(async (response) => {
            let bytes = 0;
            response.body.on('data', (chunk: Buffer) => {
              bytes += chunk.length;
              onBytes(chunk.length);
            });
            const upload = new Upload({
              client: this.client,
              params: { Bucket: this.bucket, Key: key, Body: response.body, ContentType: response.contentType },
              partSize: this.options.partSize ?? DEFAULT_PART_SIZE,
              queueSize: this.options.queueSize ?? DEFAULT_QUEUE_SIZE,
            });
            try {
              await upload.done();
            } catch (err) {
              response.body.destroy();
              throw this.error(err, key);
            }
            const expiresIn = this.options.presignExpiresInS;
            const url = expiresIn ? await getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn }) : undefined;
            const stored: StoredObject = { nodeId, kind, filename: file.filename, bucket: this.bucket, key, location: `s3://${this.bucket}/${key}`, bytes, ...(url ? { url } : {}) };
            return stored;
          }),
        );
      }),
      toArray(),
    );
  }

  close(): void {
    this.client.destroy();
  }
}
