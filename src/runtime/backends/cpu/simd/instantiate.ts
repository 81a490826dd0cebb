/**
 * Instantiates one of our AssemblyScript modules (the base64 text of its .wasm.ts) with a fresh
 * memory of one page, which the module imports as `env.memory` and its wrapper grows as it needs.
 * Null where WebAssembly is missing or the module does not validate (no SIMD): the wrappers' callers
 * then use their TypeScript loops.
 */
export function instantiateModule<Exports>(base64: string): { memory: WebAssembly.Memory; wasm: Exports } | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 1 });
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as Exports;
  return { memory, wasm };
}
