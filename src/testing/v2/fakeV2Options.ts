import { z } from 'zod';
import type { SameShape } from '../../util/sameShape';

/**
 * How the fake's v2 surface departs from the Comfy API v2 specification, as comfy-api-proxy in
 * front of ComfyUI 0.8.0 does in the recordings (`src/testing/v2/__fixtures__/traces/README.md`).
 * The defaults are the recorded proxy's; each can be switched off (or on harder) per fake, and
 * changed while it runs (`fake.v2.setQuirks`). Fractions select jobs evenly by submission order
 * (`1/3`: every third job), so a test run is repeatable.
 */
export interface FakeV2Quirks {
  /** Jobs whose first read after their end says `expired` (the proxy read `/history`, then `/queue`, and the job finished between). Default 0.1. */
  readonly expiredRace: number;
  /** Jobs whose event stream does not send the terminal `status` until its next heartbeat. Default 1/3. */
  readonly streamMissesEnd: number;
  /** `ignored`: cancel answers `canceling`/`queued` and the job runs on (ComfyUI 0.8.0 lacks the route the proxy calls); `works`: a newer server. Default `ignored`. */
  readonly cancel: 'ignored' | 'works';
  /** Event streams open at once (the next answers 429 with `Retry-After`). Default 8. */
  readonly maxStreams: number;
  /** Heartbeat period of a stream, ms; a stream its client left keeps its slot until the next write or heartbeat. Default 15 000. */
  readonly heartbeatMs: number;
  /** Least time between two `progress` (and two `preview`) events of a stream, ms (leading edge, no trailing event). Default 500. */
  readonly throttleMs: number;
  /** `Retry-After` (seconds) of the 429 for a stream over `maxStreams`. Default 1. */
  readonly streamRetryAfterS: number;
}

/** Validates {@link FakeV2Quirks}. */
export const FakeV2QuirksSchema = z
  .object({
    expiredRace: z.number().min(0).max(1),
    streamMissesEnd: z.number().min(0).max(1),
    cancel: z.enum(['ignored', 'works']),
    maxStreams: z.number().int().positive(),
    heartbeatMs: z.number().positive(),
    throttleMs: z.number().min(0),
    streamRetryAfterS: z.number().int().min(0),
  })
  .strict();
true satisfies SameShape<FakeV2Quirks, z.input<typeof FakeV2QuirksSchema>>;

export const DEFAULT_V2_QUIRKS: FakeV2Quirks = {
  expiredRace: 0.1,
  streamMissesEnd: 1 / 3,
  cancel: 'ignored',
  maxStreams: 8,
  heartbeatMs: 15_000,
  throttleMs: 500,
  streamRetryAfterS: 1,
};

/** The `v2` option of `FakeComfyServer.start()`. */
export interface FakeV2Options {
  /** Serve `/api/v2/*`; default true. */
  readonly enabled?: boolean;
  /** Like Comfy Cloud: every v2 call needs `Authorization: Bearer <key>` (or `X-API-Key`), else 401. */
  readonly apiKey?: string;
  /** Every v2 answer carries `X-Comfy-Request-Id` (Comfy Cloud does; the proxy does not). */
  readonly requestIds?: boolean;
  /**
   * Content URLs of assets point at another origin (the fake under `localhost` when reached as
   * `127.0.0.1`, and the other way round) and carry a signature instead of needing the key, like
   * Cloud's signed storage URLs. `redirect`: `/content` on the API origin answers 302 to them.
   */
  readonly signedUrls?: 'off' | 'direct' | 'redirect';
  /** Departures from the specification, over {@link DEFAULT_V2_QUIRKS}. */
  readonly quirks?: Partial<FakeV2Quirks>;
}

/** Validates {@link FakeV2Options}. */
export const FakeV2OptionsSchema = z
  .object({
    enabled: z.boolean().optional(),
    apiKey: z.string().min(1).optional(),
    requestIds: z.boolean().optional(),
    signedUrls: z.enum(['off', 'direct', 'redirect']).optional(),
    quirks: FakeV2QuirksSchema.partial().optional(),
  })
  .strict();
true satisfies SameShape<FakeV2Options, z.input<typeof FakeV2OptionsSchema>>;

/**
 * Whether the `n`-th job (1-based, in submission order) is one of a `fraction` of jobs, spread
 * evenly: 1/3 picks jobs 3, 6, 9...; 0 none; 1 all.
 */
export function selectedJob(n: number, fraction: number): boolean {
  return Math.floor(n * fraction + 1e-9) > Math.floor((n - 1) * fraction + 1e-9);
}
