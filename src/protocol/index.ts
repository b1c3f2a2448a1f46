export * from './messages';
export * from './binary';
export * from './api';
export * from './objectInfo';
export * from './validation';
