/**
 * Lets a plain `node` process (a child spawned by a test, a throwaway script) load the TypeScript
 * sources: `.ts` files are transpiled on load (no type check, as ts-jest's isolatedModules) and
 * the `@registry/*` aliases of tsconfig.json are resolved.
 *
 *   node --require ./test/support/register-ts.js script.js
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const ts = require('typescript');
const tsconfig = require('../../tsconfig.json');

const root = path.resolve(__dirname, '../..');
const { options: compilerOptions } = ts.convertCompilerOptionsFromJson(
  { ...tsconfig.compilerOptions, sourceMap: false, inlineSourceMap: true },
  root,
);
const aliases = Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = aliases.find(([name]) => request === name || request.startsWith(`${name}/`));
  return resolveFilename.call(this, alias ? alias[1] + request.slice(alias[0].length) : request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
