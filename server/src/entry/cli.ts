/**
 * dist/cli.js, what bin/throughline.js requires: loads the CLI's bundle (dist/cli.bundle.js, from
 * server/src/cli.ts) with the V8 code cache the build made of it, and exports what it exports.
 */
import * as path from 'node:path';
import { loadWithCodeCache } from './codeCache';

module.exports = loadWithCodeCache(path.join(__dirname, 'cli.bundle.js'), module);
