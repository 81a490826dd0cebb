/**
 * onnxruntime-web's WASM binary as the page preloaded it (the built pages carry
 * `<link rel="preload" data-ort-wasm>`, scripts/vite-ort-preload.ts), for the engine worker to start
 * ORT from without downloading it again.
 */

/** The attribute that marks the preload. */
export const ORT_PRELOAD_ATTR = 'data-ort-wasm';

/** The preload's URL, if this page has one. */
export function ortPreloadUrl(): string | undefined {
  return document.querySelector<HTMLLinkElement>(`link[rel="preload"][${ORT_PRELOAD_ATTR}]`)?.href;
}

/** The preloaded bytes (the fetch is answered from the preload), or undefined if they cannot be had. */
export async function fetchOrtBinary(url: string): Promise<ArrayBuffer | undefined> {
  try {
    const res = await fetch(url, { credentials: 'same-origin' });
    return res.ok ? await res.arrayBuffer() : undefined;
  } catch {
    return undefined;
  }
}
