import { z } from 'zod';
import type { Logger } from 'pino';
import { ComfyOptionsError } from '../errors';
import { formatIssues } from '../util/formatIssues';
import { NodeReplacementTable } from '../protocol/nodeReplacements';
import { FakeV2Options } from './v2/fakeV2Options';

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

/** Options of `FakeComfyServer.start()`; every key is optional. */
export const FakeComfyServerOptions = z
  .object({
    /** Port to listen on; default 0 (a random free port). */
    port: z.number().int().min(0).max(65535).optional(),
    /** Address to bind; default `127.0.0.1`. */
    host: z.string().min(1).optional(),
    /** Simulated time per executed node (samplers spread it over their steps); default 0. */
    nodeLatencyMs: Latency.optional(),
    /** Simulated time per progress step; default 0. */
    stepLatencyMs: z.number().min(0).finite().optional(),
    /** Serve unchanged nodes from the cache like ComfyUI's default; default true. */
    cache: z.boolean().optional(),
    /** `'auto'`: samplers send a JPEG preview per step; default `'none'`. */
    previewMethod: z.enum(['none', 'auto']).optional(),
    /** pino logger for the fake's own logs (debug per prompt, info for start/stop); default silent. */
    logger: LoggerLike.optional(),
    /** Node classes the server does not have (removed from object_info, rejected in prompts). */
    exclude: z.array(z.string().min(1)).optional(),
    /** When set, every HTTP call and the WS upgrade need `Authorization: Basic`, else 401. */
    basicAuth: z.object({ user: z.string(), pass: z.string() }).optional(),
    /** Request body limit (uploads and JSON alike); default 100 MiB; above it: 413. */
    maxUploadBytes: z.number().int().positive().optional(),
    /** ComfyUI's loopback Host/Origin guard (403 on mismatch); default true. */
    originGuard: z.boolean().optional(),
    /** Model files by folder, merged over the defaults (loaders' combos, `GET /models`). */
    models: z.record(z.string(), z.array(z.string())).optional(),
    /** Serve `GET /api/jobs/{id}` as ComfyUI 0.8.0 does (docs/protocol.md §6.14); false: an older server without it (404). Default true. */
    jobsApi: z.boolean().optional(),
    /**
     * The ComfyUI version the fake answers as (`/system_stats`, `/features`, validation answers,
     * routes): `'0.8.0'` (default, the recorded server) or a newer one such as `'0.38.1'`, which
     * adds `missing_node_type` and the other newer answers, the `prompt_id` check,
     * `GET /node_replacements` applied before validation, and `POST /api/jobs/{id}/cancel`.
     */
    version: z.string().regex(/^\d+\.\d+\.\d+$/, "expected a version like '0.8.0' or '0.38.1'").optional(),
    /**
     * Node replacements a newer fake registers besides the built-in ones (as custom nodes do):
     * listed by `GET /node_replacements` and applied to prompts naming a class the fake lacks.
     * A 0.8.0 fake has none.
     */
    nodeReplacements: NodeReplacementTable.optional(),
    /** Reproduce docs/protocol.md §2.5 (an old socket's close unregisters its replacement); default false. */
    emulateReplacementBug: z.boolean().optional(),
    /** The Comfy API v2 under `/api/v2` (comfy-api-proxy's behaviour, quirks included; see `FakeV2Options`). Served by default. */
    v2: FakeV2Options.optional(),
  })
  .strict();
export type FakeComfyServerOptions = z.input<typeof FakeComfyServerOptions>;

/** Validates options, throwing {@link ComfyOptionsError} with every issue. */
export function parseFakeServerOptions(options: unknown): FakeComfyServerOptions {
  const parsed = FakeComfyServerOptions.safeParse(options ?? {});
  if (!parsed.success) {
    throw new ComfyOptionsError(`Invalid FakeComfyServer options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
  }
  return parsed.data;
}
