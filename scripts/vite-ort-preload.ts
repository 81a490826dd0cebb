/**
 * Lets the browser download onnxruntime-web's WASM-only binary (14 MB) while the page itself loads:
 * the built pages get `<link rel="preload" as="fetch">` for it, and the editor hands the bytes to the
 * engine worker (src/editor/worker/ort-preload.ts, engine-client.ts), which gives them to ORT when
 * it starts (ort-web.ts `wasmBinary`).
 * Without it the worker starts the download itself, and the worker exists only once the editor's own
 * bundle has loaded and run: on a 2-core machine that is most of a second after the page was asked
 * for. The bytes go by hand, not through the HTTP cache: a browser may not keep a 14 MB response
 * there (a fresh Chromium context fetched it twice). Low priority, so on a slow network the page's
 * own scripts and styles come first. Build only: the dev server serves ORT from node_modules, and the
 * worker then fetches it itself.
 */
import type { Plugin } from 'vite';
import { ORT_PRELOAD_ATTR } from '../src/editor/worker/ort-preload.ts';

/** The WASM-only build's binary among the emitted files (not the `.jsep` one WebGPU uses). */
const ORT_WASM = /(^|\/)ort-wasm-simd-threaded-[\w-]+\.wasm$/;

export function ortPreloadPlugin(): Plugin {
  return {
    name: 'disco-ort-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const wasm = Object.keys(ctx.bundle ?? {}).find((name) => ORT_WASM.test(name));
        if (!wasm) return [];
        return [{
          tag: 'link', injectTo: 'head',
          attrs: { rel: 'preload', as: 'fetch', type: 'application/wasm', crossorigin: '', fetchpriority: 'low', href: `./${wasm}`, [ORT_PRELOAD_ATTR]: '' },
        }];
      },
    },
  };
}
