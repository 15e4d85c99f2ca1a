/**
 * What the language server's process is started with on top of the editor's environment, by every
 * launcher this project controls (the VS Code client, the benchmark driving the server as that
 * client does); the README shows other editors how to set it.
 *
 * `MALLOC_MMAP_THRESHOLD_`: glibc serves an allocation of 128 KB or more with its own `mmap`, and
 * when such a block is freed it raises that threshold to the block's size, so later blocks up to
 * that size come from its heap arenas, whose freed space the process keeps. A server that compiles
 * and answers for hours frees such blocks all along (V8's compiler zones, large message buffers):
 * at 10,000 PRDs its resident size climbed 17–21 MB over the benchmark's 500 edits and then stayed
 * there, with the V8 heap flat. Set here, the threshold stays at 128 KB: the climb was 1.6 MB in a
 * run of the session alone, and 5–15 MB in five full benchmark runs (its bar is 16 MB). glibc
 * reads it when the process starts; other C libraries ignore it.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '131072',
};
