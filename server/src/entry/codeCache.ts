/**
 * Loads a bundle (dist/server.bundle.js, dist/cli.bundle.js) as `require` would, with the V8 code
 * cache `npm run build` made beside it (`<bundle>.cache`). dist/server.js and dist/cli.js are
 * these few lines and nothing else, so the bundle they load is what the cache is of.
 *
 * Why: compiling the 2 MB bundle, and each function the first time it runs, took about 50 ms of
 * every CLI run; the server answered `initialize` about 50 ms sooner with its cache, and its first
 * diagnostics at 10,000 PRDs about 0.1 s sooner (the functions the first index runs are compiled
 * while the author waits for them), in three alternating pairs on a noisy 2-core machine.
 *
 * The cache is used only when it was made from these very bytes (an MD5 of the bundle heads it)
 * and V8 accepts it (same V8, same flags); otherwise the bundle compiles as usual. It is never
 * written at run time: `THROUGHLINE_WRITE_CODE_CACHE=<file>` (the build) writes it once the run is
 * over, with every function the run compiled. Nothing here reads the workspace: the cache lives
 * beside the bundle, in Throughline's own folder.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** What `node:module` has at run time and its types leave out. */
interface ModuleInternals {
  wrap(source: string): string;
  _nodeModulePaths(folder: string): string[];
}

const MD5_BYTES = 16;

/**
 * Runs `file` as a CommonJS module whose parent is `parent`, and returns its exports.
 * `flagDefaults`: the V8 flags the bundle sets while it runs, at their defaults. V8 refuses a cache
 * made under other flags than its own, so they are set back before the cache is written.
 */
export function loadWithCodeCache(file: string, parent: NodeJS.Module, flagDefaults: readonly string[] = []): unknown {
  const bytes = readFileSync(file);
  const digest = createHash('md5').update(bytes).digest();
  const writeTo = process.env.THROUGHLINE_WRITE_CODE_CACHE;
  let cachedData: Buffer | undefined;
  if (!writeTo) {
    try {
      const stored = readFileSync(`${file}.cache`);
      if (stored.length > MD5_BYTES && stored.subarray(0, MD5_BYTES).equals(digest)) cachedData = stored.subarray(MD5_BYTES);
    } catch {
      // No cache: compiled as usual.
    }
  }
  const internals = Module as unknown as ModuleInternals;
  const script = new Script(internals.wrap(bytes.toString('utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const loaded = new Module(file, parent);
  loaded.filename = file;
  loaded.paths = internals._nodeModulePaths(path.dirname(file));
  if (writeTo)
    process.once('exit', () => {
      for (const flag of flagDefaults) setFlagsFromString(flag);
      writeFileSync(writeTo, Buffer.concat([digest, script.createCachedData()]));
    });
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
  run.call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, path.dirname(file));
  loaded.loaded = true;
  return loaded.exports;
}
