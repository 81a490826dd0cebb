/**
 * Is a WebGPU adapter real hardware or a software rasteriser? Software adapters (SwiftShader,
 * llvmpipe, lavapipe, WARP...) run WGSL on the CPU, far slower than the CPU kernels, so hosts
 * use WebGPU only on hardware. One rule for the CLI (`--backend auto`) and the editor worker.
 * Pure: takes the fields of a GPUAdapterInfo (plus the older `adapter.isFallbackAdapter`).
 */

export interface AdapterFacts {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  /** GPUAdapterInfo.isFallbackAdapter (or GPUAdapter.isFallbackAdapter in older browsers). */
  readonly isFallbackAdapter?: boolean;
}

export interface AdapterKind {
  readonly kind: 'hardware' | 'software';
  /** One line for a user: what the adapter is and why that kind. */
  readonly reason: string;
}

/** Names of software rasterisers as they appear in vendor/architecture/device/description. */
const SOFTWARE_NAMES = [
  { pattern: /swiftshader/i, name: 'SwiftShader' },
  { pattern: /llvmpipe/i, name: 'llvmpipe' },
  { pattern: /lavapipe/i, name: 'lavapipe' },
  { pattern: /softpipe/i, name: 'softpipe' },
  { pattern: /microsoft basic render|\bwarp\b/i, name: 'WARP' },
];

export function describeAdapter(info: AdapterFacts): string {
  const parts = [info.vendor, info.architecture, info.description].map((s) => s?.trim()).filter(Boolean);
  return parts.join(' ') || 'unknown adapter';
}

export function classifyAdapter(info: AdapterFacts): AdapterKind {
  const name = describeAdapter(info);
  if (info.isFallbackAdapter) return { kind: 'software', reason: `${name} is a fallback (software) adapter` };
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  const hit = SOFTWARE_NAMES.find((s) => s.pattern.test(text));
  if (hit) return { kind: 'software', reason: `${name} is ${hit.name}, a software renderer` };
  return { kind: 'hardware', reason: `${name} is a hardware adapter` };
}
