/**
 * OpenCV's 8-bit RGB <-> Lab (cvtColor on uint8: integer tables and fixed point), as cpu/lab.ts
 * (rgbToLab8, lab8ToRgb) does it step for step. All integer arithmetic (i32 wraps as C's int and
 * JS's `>>` do), so the GPU matches the CPU, and cv2, bit for bit on any adapter.
 * Both read RGBA bytes packed one pixel per u32 (r in the low byte) and write the same packing with
 * the alpha byte kept; 8-bit Lab is [L*255/100, a+128, b+128] in the first three bytes.
 * Bindings: src, tab (lab8TableForGpu(), offsets LAB8_GPU), dst, then the uniform { n }; the two
 * 3x3 matrices are inlined.
 */
import { LAB8_GPU, lab8Tables, MIN_AB } from '../../common/opencv-lab-tables.ts';
import { defineKernel, WG } from '../kernel.ts';
import { FLAT_INDEX } from './color-common.ts';

const HEAD = /* wgsl */ `
struct U { n: u32 }
@group(0) @binding(0) var<storage, read> src: array<u32>;
@group(0) @binding(1) var<storage, read> tab: array<i32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;
@group(0) @binding(3) var<uniform> u: U;
${FLAT_INDEX}

fn descale(v: i32, n: u32) -> i32 { return (v + (1 << (n - 1u))) >> n; }
fn byte_of(v: i32) -> u32 { return u32(clamp(v, 0, 255)); }
`;

/** The matrix rows as WGSL integer literals. */
const row = (m: Int32Array, r: number) => [0, 1, 2].map((c) => `${m[3 * r + c]}`);

const [mx, my, mz] = [0, 1, 2].map((r) => row(lab8Tables().toXyz, r));
export const RGB_TO_LAB8 = defineKernel('rgb-to-lab8', [WG, 1, 1], /* wgsl */ `${HEAD}
@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = flat_index(gid, nwg);
  if (p >= u.n) { return; }
  let px = src[p];
  let R = tab[${LAB8_GPU.gamma}u + (px & 255u)];
  let G = tab[${LAB8_GPU.gamma}u + ((px >> 8u) & 255u)];
  let B = tab[${LAB8_GPU.gamma}u + ((px >> 16u) & 255u)];
  let fX = tab[${LAB8_GPU.cbrt} + descale(R * ${mx[0]} + G * ${mx[1]} + B * ${mx[2]}, 12u)];
  let fY = tab[${LAB8_GPU.cbrt} + descale(R * ${my[0]} + G * ${my[1]} + B * ${my[2]}, 12u)];
  let fZ = tab[${LAB8_GPU.cbrt} + descale(R * ${mz[0]} + G * ${mz[1]} + B * ${mz[2]}, 12u)];
  let L = byte_of(descale(296 * fY - 1336934, 15u)); // (116*255+50)/100 and 16*255*2^15/100, rounded
  let a = byte_of(descale(500 * (fX - fY) + (128 << 15u), 15u));
  let b = byte_of(descale(200 * (fY - fZ) + (128 << 15u), 15u));
  dst[p] = L | (a << 8u) | (b << 16u) | (px & 0xff000000u);
}`);

const m = [0, 1, 2].map((r) => row(lab8Tables().toRgb, r));
const channel = (r: number) =>
  `tab[${LAB8_GPU.invGamma} + clamp(descale(${m[r][0]} * x + ${m[r][1]} * y + ${m[r][2]} * z, 14u), 0, 4095)]`;
export const LAB8_TO_RGB = defineKernel('lab8-to-rgb', [WG, 1, 1], /* wgsl */ `${HEAD}
@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = flat_index(gid, nwg);
  if (p >= u.n) { return; }
  let px = src[p];
  let L = i32(px & 255u);
  let aa = i32((px >> 8u) & 255u);
  let bb = i32((px >> 16u) & 255u);
  let y = tab[${LAB8_GPU.lToYf} + 2 * L];
  let ify = tab[${LAB8_GPU.lToYf} + 2 * L + 1];
  let adiv = ((5 * aa * 53687 + (1 << 7u)) >> 13u) - 4194; // a * 16384 / 500, 128 * 16384 / 500
  let bdiv = ((bb * 41943 + (1 << 4u)) >> 9u) - 10485 + 1; // b * 16384 / 200, 128 * 16384 / 200
  let x = tab[${LAB8_GPU.abToXz - MIN_AB} + ify + adiv];
  let z = tab[${LAB8_GPU.abToXz - MIN_AB} + ify - bdiv];
  let r = u32(${channel(0)});
  let g = u32(${channel(1)});
  let b = u32(${channel(2)});
  dst[p] = r | (g << 8u) | (b << 16u) | (px & 0xff000000u);
}`);
