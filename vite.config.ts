import { defineConfig } from 'vite';
import { cspPlugin } from './scripts/vite-csp.ts';
import { ISOLATION_HEADERS, isolationPlugin } from './scripts/vite-isolation.ts';
import { modelsPlugin } from './scripts/vite-models.ts';
import { ortPreloadPlugin } from './scripts/vite-ort-preload.ts';

// The editor is a static site: `base: './'` makes every asset URL relative, so `dist/` works from
// any static server or sub-path. onnxruntime-web resolves its .wasm files relative to its own
// module URL, which Vite's dependency pre-bundling breaks; keep it out of optimizeDeps.
export default defineConfig(({ command }) => ({
  base: './',
  // Test-only switches (plugin.html?hostOrigin=) exist on the dev server only; a build drops their code.
  // Not import.meta.env.DEV: a build run under vitest (NODE_ENV=test) has DEV true.
  define: { __DISCO_DEV_SERVER__: JSON.stringify(command === 'serve') },
  // A build resolves packages' production exports (Lit without its dev mode) even when NODE_ENV is
  // not 'production' (a build run under vitest), which would otherwise pick their development ones.
  ...(command === 'build' ? { resolve: { conditions: ['module', 'browser', 'production'] } } : {}),
  // The built pages carry a Content-Security-Policy (scripts/vite-csp.ts); the model sets in models/
  // are served (dev) or copied (build) with a models/index.json listing them (scripts/vite-models.ts).
  // Every page is cross-origin isolated (multi-threaded WASM): the dev server and `vite preview` send
  // the headers, the build writes them to dist/_headers for static hosts (scripts/vite-isolation.ts).
  // The built pages preload onnxruntime-web's WASM binary for the engine (scripts/vite-ort-preload.ts).
  plugins: [cspPlugin(), modelsPlugin(), isolationPlugin(), ortPreloadPlugin()],
  optimizeDeps: { exclude: ['onnxruntime-web', 'onnxruntime-web/wasm'] },
  worker: { format: 'es' },
  // Two pages share one code base: the editor, and the plugin panel that hosts (Photopea…) open.
  build: {
    outDir: 'dist', target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { main: 'index.html', plugin: 'plugin.html' } },
  },
  server: { port: 5173, strictPort: false, headers: { ...ISOLATION_HEADERS } },
  preview: { headers: { ...ISOLATION_HEADERS } },
}));
