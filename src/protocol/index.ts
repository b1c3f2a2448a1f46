export * from './messages';
export * from './binary';
export * from './api';
export * from './objectInfo';
export * from './validation';
export * from './pythonJson';
/** The Comfy API v2 wire schemas (jobs, assets, event stream), `V2`-prefixed. */
export * from '../surfaces/v2/wire';
