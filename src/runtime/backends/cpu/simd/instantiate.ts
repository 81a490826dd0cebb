/**
 * Instantiates one of our AssemblyScript modules (the base64 text of its .wasm.ts) with `memory`
 * (default: a fresh one of one page), which the module imports as `env.memory` and its wrapper
 * grows as it needs.
 * Null where WebAssembly is missing or the module does not validate (no SIMD): the wrappers' callers
 * then use their TypeScript loops.
 */
export function instantiateModule<Exports>(base64: string, memoryToUse?: WebAssembly.Memory):
  { memory: WebAssembly.Memory; wasm: Exports; module: WebAssembly.Module } | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) return null;
  const memory = memoryToUse ?? new WebAssembly.Memory({ initial: 1 });
  const module = new WebAssembly.Module(bytes);
  const wasm = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
  return { memory, wasm, module };
}

/** Grows `memory` (by whole 64 KB pages) until it holds at least `bytes` bytes. */
export function ensureBytes(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}
