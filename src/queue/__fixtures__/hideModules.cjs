// Preload (`node --require`): module resolution fails for the packages named in HIDE_MODULES
// (comma-separated), as it would where they are not installed.
const Module = require('node:module');
const hidden = new Set((process.env.HIDE_MODULES || '').split(',').filter(Boolean));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (hidden.has(request.split('/')[0])) {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
