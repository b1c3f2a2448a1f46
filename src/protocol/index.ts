export * from './messages';
export * from './binary';
export * from './api';
export * from './objectInfo';
export * from './validation';
export * from './pythonJson';
export * from './nodeReplacements';
