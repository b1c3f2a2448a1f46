/** A pool of ComfyUI servers behind one `run`: placement strategies, per-server limits, capability filtering, health and failover. */
export { ComfyPool, type PoolServerStatus } from './comfyPool';
export type { ComfyPoolOptions, PoolClientServer, PoolUrlServer } from './options';
export type { PoolClient, PoolHttp } from './poolClient';
export type { ServerHealth } from './poolServer';
export type { DispatchedEvent, PoolDoneEvent, PoolEvent, ServerPromptEvent } from './events';
export type { PlacementRequest, PoolServerView, PoolStrategy, PoolStrategyFn } from './strategy';
export { leastLoaded } from './leastLoaded';
export { roundRobin } from './roundRobin';
export { ComfyNoServerError, ComfyPoolClosedError, type ServerRefusal } from './errors';
