/**
 * The largest shared WebAssembly memory of the two-thread superpixel kernels, in 64 KB pages (1 GB):
 * a shared memory declares its maximum when compiled (scripts/build-wasm.ts) and when made
 * (sp-threads.ts). The maps of a 1024x1024 run with 66 channels take about 0.3 GB.
 */
export const SHARED_MAX_PAGES = 16384;
