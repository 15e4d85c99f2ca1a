/**
 * dist/server.js, what editors start: loads the language server's bundle (dist/server.bundle.js,
 * from server/src/server.ts) with the V8 code cache the build made of it.
 */
import * as path from 'node:path';
import { loadWithCodeCache } from './codeCache';

// node/heapGrowth.ts sets --heap-growing-percent once the first index is built: its default is 0.
loadWithCodeCache(path.join(__dirname, 'server.bundle.js'), module, ['--heap-growing-percent=0']);
