import { z } from 'zod';
import { ComfyOptionsError } from '../../errors';
import { displayUrl } from '../../util/displayUrl';
import type { SameShape } from '../../util/sameShape';

/** Where a worker writes outputs in S3-compatible storage (AWS S3, MinIO, R2, ...). */
export interface S3OutputOptions {
  readonly bucket: string;
  /** Keys are `prefix/<jobId>/<file name>` (default: no prefix). */
  readonly prefix?: string;
  /** Default: the AWS SDK's (AWS_REGION), else `us-east-1`. */
  readonly region?: string;
  /** An S3-compatible endpoint (MinIO, R2...); default AWS. */
  readonly endpoint?: string;
  /** `https://endpoint/bucket/key` URLs (most S3-compatible servers need it; default: true with an endpoint). */
  readonly forcePathStyle?: boolean;
  /** Default: the AWS SDK's chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, roles). Never logged. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Upload part size in bytes (default 5 MiB, the least S3 takes; the memory an upload holds is about partSize x queueSize). */
  readonly partSize?: number;
  /** Parts uploaded at once (default 2). */
  readonly queueSize?: number;
  /**
   * Also sign a GET URL for each object, valid this many seconds (at most 7 days), listed in the
   * result and the webhook as `url`. It carries the access key id and a signature, never the secret.
   */
  readonly presignExpiresInS?: number;
  /** How failed uploads are retried (the job waits, delayed, between attempts): default 10 attempts from 7 s, doubling. */
  readonly retry?: { readonly attempts?: number; readonly backoffMs?: number };
}

/** Bucket names as S3 accepts them: 3-63 lowercase letters, digits, dots and hyphens. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Validates {@link S3OutputOptions}. */
export const S3OutputOptionsSchema = z
  .object({
    bucket: z.string().regex(BUCKET, 'a bucket name is 3-63 lowercase letters, digits, dots and hyphens'),
    prefix: z.string().max(500).optional(),
    region: z.string().min(1).optional(),
    endpoint: z.string().optional(),
    forcePathStyle: z.boolean().optional(),
    credentials: z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().optional() }).optional(),
    partSize: z.number().int().min(5 * 2 ** 20).optional(),
    queueSize: z.number().int().positive().max(16).optional(),
    presignExpiresInS: z.number().int().positive().max(7 * 24 * 3600).optional(),
    retry: z.object({ attempts: z.number().int().positive().max(100).optional(), backoffMs: z.number().int().nonnegative().optional() }).strict().optional(),
  })
  .strict();
true satisfies SameShape<S3OutputOptions, z.input<typeof S3OutputOptionsSchema>>;

/**
 * `s3://bucket/prefix` as options (the CLI's `--s3`).
 * @throws ComfyOptionsError for anything else, or a bucket name S3 would refuse.
 * @example parseS3Url('s3://renders/comfy'); // { bucket: 'renders', prefix: 'comfy' }
 */
export function parseS3Url(url: string): { bucket: string; prefix?: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new ComfyOptionsError(`Invalid S3 target '${displayUrl(url)}': expected s3://bucket/prefix`);
  const bucket = match[1] as string;
  if (!BUCKET.test(bucket)) throw new ComfyOptionsError(`Invalid S3 target '${displayUrl(url)}': a bucket name is 3-63 lowercase letters, digits, dots and hyphens`);
  const prefix = (match[2] as string).replace(/\/+$/, '');
  return prefix ? { bucket, prefix } : { bucket };
}
