import { describe, expect, it } from 'vitest';
import { classifyAdapter } from './adapter-kind.ts';

describe('classifyAdapter', () => {
  it('calls a fallback adapter software, whatever its name', () => {
    const r = classifyAdapter({ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: true });
    expect(r.kind).toBe('software');
    expect(r.reason).toBe('nvidia ampere is a fallback (software) adapter');
  });

  it('recognises SwiftShader as Dawn reports it in Node', () => {
    // What the `webgpu` package returned on these machines (isFallbackAdapter left out on purpose).
    const r = classifyAdapter({ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0' });
    expect(r).toEqual({ kind: 'software', reason: 'google swiftshader SwiftShader driver 5.0.0 is SwiftShader, a software renderer' });
  });

  it.each([
    [{ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, 'llvmpipe'],
    [{ vendor: 'mesa', architecture: '', device: 'lavapipe' }, 'lavapipe'],
    [{ description: 'Microsoft Basic Render Driver' }, 'WARP'],
  ])('recognises a software renderer by name: %j', (info, name) => {
    const r = classifyAdapter(info);
    expect(r.kind).toBe('software');
    expect(r.reason).toContain(`is ${name}, a software renderer`);
  });

  it('calls other adapters hardware', () => {
    expect(classifyAdapter({ vendor: 'apple', architecture: 'metal-3', isFallbackAdapter: false })).toEqual({ kind: 'hardware', reason: 'apple metal-3 is a hardware adapter' });
    expect(classifyAdapter({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 620' }).kind).toBe('hardware');
  });

  it('names an adapter with no information "unknown adapter"', () => {
    expect(classifyAdapter({})).toEqual({ kind: 'hardware', reason: 'unknown adapter is a hardware adapter' });
  });
});
