/** The language server's entry point (dist/server.js): speaks LSP over stdio, or the transport given on the command line. */
import { startServer } from './lsp/server';

startServer();
