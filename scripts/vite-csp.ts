/**
 * The Content-Security-Policy of the built site, injected into every page as a <meta http-equiv> by
 * a Vite plugin (build only: the dev server's HMR needs more). It allows only what the app uses:
 * its own scripts and workers (plus blob: workers, which onnxruntime-web may make), WebAssembly
 * compilation ('wasm-unsafe-eval', for onnxruntime-web), fetches of its own files (models, photos)
 * and of blob:/data: URLs, and images from itself, blob: and data: URLs. No 'unsafe-eval' and no
 * inline scripts: the eval in @comfyorg/litegraph's number prompt and any HTML injected through
 * litegraph's menus cannot run code. Inline styles are allowed (litegraph positions its dialogs
 * with them; styles cannot run code). frame-ancestors is not settable from a meta tag, so the plugin
 * page can still be framed by its host (Photopea).
 */
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

export function cspPlugin(): Plugin {
  return {
    name: 'disco-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}
