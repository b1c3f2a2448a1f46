import { z } from 'zod';
import type { Logger } from 'pino';
import { ComfyOptionsError } from '../errors';
import { formatIssues } from '../util/formatIssues';
import { NodeReplacementTable } from '../protocol/nodeReplacements';
import { type FakeV2Options, FakeV2OptionsSchema } from './v2/fakeV2Options';
import type { SameShape } from '../util/sameShape';

/** Simulated run time of a node: a number of ms, or a function of its class and id. */
export type NodeLatency = number | ((classType: string, nodeId: string) => number);

const Latency = z.union([
  z.number().min(0).finite(),
  z.custom<(classType: string, nodeId: string) => number>((value) => typeof value === 'function', 'expected a number or a function (classType, nodeId) => ms'),
]);

const LoggerLike = z.custom<Logger>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { child?: unknown }).child === 'function',
  'expected a pino logger',
);

/** Options of `FakeComfyServer.start()`; every key is optional (invalid ones throw `ComfyOptionsError`). */
export interface FakeComfyServerOptions {
  /** Port to listen on; default 0 (a random free port). */
  readonly port?: number;
  /** Address to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** Simulated time per executed node (samplers spread it over their steps); default 0. */
  readonly nodeLatencyMs?: NodeLatency;
  /** Simulated time per progress step; default 0. */
  readonly stepLatencyMs?: number;
  /** Serve unchanged nodes from the cache like ComfyUI's default; default true. */
  readonly cache?: boolean;
  /** `'auto'`: samplers send a JPEG preview per step; default `'none'`. */
  readonly previewMethod?: 'none' | 'auto';
  /** pino logger for the fake's own logs (debug per prompt, info for start/stop); default silent. */
  readonly logger?: Logger;
  /** Node classes the server does not have (removed from object_info, rejected in prompts). */
  readonly exclude?: readonly string[];
  /** When set, every HTTP call and the WS upgrade need `Authorization: Basic`, else 401. */
  readonly basicAuth?: { readonly user: string; readonly pass: string };
  /** Request body limit (uploads and JSON alike); default 100 MiB; above it: 413. */
  readonly maxUploadBytes?: number;
  /** ComfyUI's loopback Host/Origin guard (403 on mismatch); default true. */
  readonly originGuard?: boolean;
  /** Model files by folder, merged over the defaults (loaders' combos, `GET /models`). */
  readonly models?: Readonly<Record<string, readonly string[]>>;
  /** Serve `GET /api/jobs/{id}` as ComfyUI 0.8.0 does (docs/protocol.md §6.14); false: an older server without it (404). Default true. */
  readonly jobsApi?: boolean;
  /**
   * The ComfyUI version the fake answers as (`/system_stats`, `/features`, validation answers,
   * routes): `'0.8.0'` (default, the recorded server) or a newer one such as `'0.38.1'`, which
   * adds `missing_node_type` and the other newer answers, the `prompt_id` check,
   * `GET /node_replacements` applied before validation, and `POST /api/jobs/{id}/cancel`.
   */
  readonly version?: string;
  /**
   * Node replacements a newer fake registers besides the built-in ones (as custom nodes do):
   * listed by `GET /node_replacements` and applied to prompts naming a class the fake lacks.
   * A 0.8.0 fake has none.
   */
  readonly nodeReplacements?: NodeReplacementTable;
  /** Reproduce docs/protocol.md §2.5 (an old socket's close unregisters its replacement); default false. */
  readonly emulateReplacementBug?: boolean;
  /** The Comfy API v2 under `/api/v2` (comfy-api-proxy's behaviour, quirks included; see `FakeV2Options`). Served by default. */
  readonly v2?: FakeV2Options;
}

/** Validates {@link FakeComfyServerOptions}. */
const FakeComfyServerOptionsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().min(1).optional(),
    nodeLatencyMs: Latency.optional(),
    stepLatencyMs: z.number().min(0).finite().optional(),
    cache: z.boolean().optional(),
    previewMethod: z.enum(['none', 'auto']).optional(),
    logger: LoggerLike.optional(),
    exclude: z.array(z.string().min(1)).optional(),
    basicAuth: z.object({ user: z.string(), pass: z.string() }).optional(),
    maxUploadBytes: z.number().int().positive().optional(),
    originGuard: z.boolean().optional(),
    models: z.record(z.string(), z.array(z.string())).optional(),
    jobsApi: z.boolean().optional(),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, "expected a version like '0.8.0' or '0.38.1'").optional(),
    nodeReplacements: NodeReplacementTable.optional(),
    emulateReplacementBug: z.boolean().optional(),
    v2: FakeV2OptionsSchema.optional(),
  })
  .strict();
true satisfies SameShape<FakeComfyServerOptions, z.input<typeof FakeComfyServerOptionsSchema>>;

/** Validates options, throwing {@link ComfyOptionsError} with every issue. */
export function parseFakeServerOptions(options: unknown): FakeComfyServerOptions {
  const parsed = FakeComfyServerOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new ComfyOptionsError(`Invalid FakeComfyServer options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
  }
  return parsed.data;
}
