#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('throughline: dist/cli.js is missing; run `npm run build` in the Throughline folder first.\n');
  process.exit(2);
}
loadCli(cli).main();

/**
 * Loads dist/cli.js as `require` would, with the V8 code cache `npm run build` made beside it
 * (dist/cli.js.cache): compiling the 2 MB bundle, and each function the first time it runs, took
 * about 50 ms of every run. The cache is used only when it was made from these very bytes (an MD5
 * of the bundle heads it) and V8 accepts it (same V8, same flags); otherwise the bundle compiles
 * as usual. It is never written at run time: `THROUGHLINE_WRITE_CODE_CACHE=<file>` (the build)
 * writes it once the run is over, with every function the run compiled.
 */
function loadCli(file) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const { createHash } = require('node:crypto');
  const bytes = fs.readFileSync(file);
  const digest = createHash('md5').update(bytes).digest();
  const writeTo = process.env.THROUGHLINE_WRITE_CODE_CACHE;
  let cachedData;
  if (!writeTo) {
    try {
      const stored = fs.readFileSync(`${file}.cache`);
      if (stored.length > digest.length && stored.subarray(0, digest.length).equals(digest)) cachedData = stored.subarray(digest.length);
    } catch {
      // No cache: compiled as usual.
    }
  }
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData });
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, path.dirname(file));
  loaded.loaded = true;
  if (writeTo) process.once('exit', () => fs.writeFileSync(writeTo, Buffer.concat([digest, script.createCachedData()])));
  return loaded.exports;
}
