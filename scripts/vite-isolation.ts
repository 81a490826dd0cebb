/**
 * Cross-origin isolation for the site, so onnxruntime-web's WASM build can run one thread per core
 * (threads need SharedArrayBuffer, which browsers give only to cross-origin isolated pages) and the
 * CPU kernels can share memory with workers. Two response headers make a page isolated:
 *   Cross-Origin-Opener-Policy: same-origin     (no shared browsing context with other origins)
 *   Cross-Origin-Embedder-Policy: require-corp  (every cross-origin subresource must opt in; the site
 *                                                loads only its own files, so nothing needs to)
 * and a third lets isolated pages of other sites embed ours (the plugin page, the embed script):
 *   Cross-Origin-Resource-Policy: cross-origin
 * The dev server and `vite preview` send them (vite.config.ts). A static host must send them for
 * every file; the build writes them as `_headers` (the format of Netlify and Cloudflare Pages) beside
 * index.html. A page inside another site's iframe (the Photopea plugin, an embed) is isolated only if
 * its host is: there the engine runs single-threaded and the backend indicator says so.
 */
import type { Plugin } from 'vite';

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** `_headers` (Netlify / Cloudflare Pages): the isolation headers on every path. */
export function headersFile(): string {
  return ['/*', ...Object.entries(ISOLATION_HEADERS).map(([k, v]) => `  ${k}: ${v}`), ''].join('\n');
}

/** Writes `_headers` into the build output. */
export function isolationPlugin(): Plugin {
  return {
    name: 'disco-isolation',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
    },
  };
}
