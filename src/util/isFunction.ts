/** For zod `custom` checks of injected functions and objects with methods. */
export const isFunction = (value: unknown): boolean => typeof value === 'function';
