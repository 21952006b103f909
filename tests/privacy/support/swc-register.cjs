/*
 * Lets a child process run the TypeScript sources directly (no build): .ts files are compiled
 * with @swc/core on require, and "./x.js" imports (nodenext style) fall back to "./x.ts".
 * Used by the crash test to kill a real process in the middle of an erasure.
 */
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, sourceMaps: false, module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  });
  module._compile(code, filename);
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveTs(request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (error) {
    if (request.startsWith('.') && request.endsWith('.js')) return resolve.call(this, request.slice(0, -3), parent, ...rest);
    throw error;
  }
};
