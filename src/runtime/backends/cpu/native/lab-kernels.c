/*
 * The colour conversions of whole images as native code for Node, strips of pixels or rows shared
 * among threads (threads.h); the tables and constants come from JavaScript (opencv-lab-tables.ts),
 * so there is one definition of them:
 * - RGB -> Lab of RGBA bytes: OpenCV's float RGB2Lab (trilinear interpolation in fixed point in a
 *   33^3 table), the same integer steps as rgbToLabImage in cpu/lab.ts, so the same bits;
 * - Lab planes -> RGBA bytes: OpenCV's float Lab2RGB and its spline gamma, the float32 operations
 *   of lab.as.ts's labToRgba in the same order (built without fused multiply-adds, so the same bits).
 */
#include <stdint.h>
#include "napi-args.h"
#include "threads.h"
#include "widest-vectors.h"

#define LUT_DIM 33
#define SB (LUT_DIM * LUT_DIM * 3)
#define SG (LUT_DIM * 3)
#define SR 3
/* Pixels per part. */
#define STRIP 8192
/* Entries the pair loads may read past the table's last one (lut must be this much longer). */
#define LUT_PAD 8

typedef struct {
  Task task; /* first, so a Task * is a LabJob *; its parts are strips of STRIP pixels */
  const uint8_t *rgba;
  const int16_t *lut;  /* LUT_DIM^3 x 3, then LUT_PAD entries of padding */
  const int32_t *code; /* per byte value: its fixed-point input code (CODE_U8) */
  float *out;          /* L, a, b planes of n */
  size_t n;
} LabJob;

#if defined(__SSE2__)
#include <emmintrin.h>

/*
 * One pixel as lab.as.ts does it: a pixel's 8 nodes are 4 pairs along red, each pair 3 entries
 * apart in the table; two 8-byte loads and an interleave put a pair's L, a, b side by side
 * (L0 L1 a0 a1 b0 b1), and one multiply-add of int16 pairs (pmaddwd) weighs and adds each pair. The
 * values (0..16384) and weights (at most 16^3) fit in int16 and the int32 sums are exact, so the
 * result is the scalar steps' to the bit. On red's last node the pair's second node is whatever
 * follows in the table (its padding at the end), but its weight is 0: a byte's code on the last
 * node has no fraction (checked below).
 */
static inline __m128i pairs(const int16_t *e) {
  return _mm_unpacklo_epi16(_mm_loadl_epi64((const __m128i *)e), _mm_loadl_epi64((const __m128i *)(e + SR)));
}

static inline void lab_pixel(const LabJob *job, size_t p) {
  const int r = job->rgba[4 * p], g = job->rgba[4 * p + 1], b = job->rgba[4 * p + 2];
  const int cr = job->code[r], cg = job->code[g], cb = job->code[b];
  const int tb = cb >> 9, tg = cg >> 9, tr = cr >> 9;
  const int xb = (cb >> 5) & 15, xg = (cg >> 5) & 15, xr = (cr >> 5) & 15;
  const int db = tb < LUT_DIM - 1 ? SB : 0, dg = tg < LUT_DIM - 1 ? SG : 0;
  const int b0 = 16 - xb, g0 = 16 - xg;
  const int16_t *e0 = job->lut + tb * SB + tg * SG + tr * SR, *e2 = e0 + dg, *e4 = e0 + db, *e6 = e4 + dg;
  const __m128i red = _mm_set1_epi32((xr << 16) | (16 - xr)); /* the red weights (16 - xr, xr) in every pair */
  __m128i acc = _mm_madd_epi16(pairs(e0), _mm_mullo_epi16(red, _mm_set1_epi16((int16_t)(b0 * g0))));
  acc = _mm_add_epi32(acc, _mm_madd_epi16(pairs(e2), _mm_mullo_epi16(red, _mm_set1_epi16((int16_t)(b0 * xg)))));
  acc = _mm_add_epi32(acc, _mm_madd_epi16(pairs(e4), _mm_mullo_epi16(red, _mm_set1_epi16((int16_t)(xb * g0)))));
  acc = _mm_add_epi32(acc, _mm_madd_epi16(pairs(e6), _mm_mullo_epi16(red, _mm_set1_epi16((int16_t)(xb * xg)))));
  int32_t code[4];
  _mm_storeu_si128((__m128i *)code, _mm_srai_epi32(_mm_add_epi32(acc, _mm_set1_epi32(2048)), 12));
  /* Exact in float32 (codes below 2^19, steps 100/16384 = 25/4096 and 1/64), so the double steps' bits. */
  job->out[p] = (float)code[0] * (100.0f / 16384.0f);
  job->out[job->n + p] = (float)code[1] * (1.0f / 64.0f) - 128.0f;
  job->out[2 * job->n + p] = (float)code[2] * (1.0f / 64.0f) - 128.0f;
}
#else
/* The same steps one node at a time, as cpu/lab.ts writes them. */
static inline void lab_pixel(const LabJob *job, size_t p) {
  const int16_t *lut = job->lut;
  const int cr = job->code[job->rgba[4 * p]], cg = job->code[job->rgba[4 * p + 1]], cb = job->code[job->rgba[4 * p + 2]];
  const int tb = cb >> 9, tg = cg >> 9, tr = cr >> 9;
  const int xb = (cb >> 5) & 15, xg = (cg >> 5) & 15, xr = (cr >> 5) & 15;
  const int k = tb * SB + tg * SG + tr * SR;
  const int db = tb < LUT_DIM - 1 ? SB : 0, dg = tg < LUT_DIM - 1 ? SG : 0, dr = tr < LUT_DIM - 1 ? SR : 0;
  const int b0 = 16 - xb, g0 = 16 - xg, r0 = 16 - xr;
  const int w000 = b0 * g0 * r0, w001 = b0 * g0 * xr, w010 = b0 * xg * r0, w011 = b0 * xg * xr;
  const int w100 = xb * g0 * r0, w101 = xb * g0 * xr, w110 = xb * xg * r0, w111 = xb * xg * xr;
  const int k1 = k + dr, k2 = k + dg, k3 = k2 + dr, k4 = k + db, k5 = k4 + dr, k6 = k4 + dg, k7 = k6 + dr;
  int s[3];
  for (int c = 0; c < 3; c++)
    s[c] = lut[k + c] * w000 + lut[k1 + c] * w001 + lut[k2 + c] * w010 + lut[k3 + c] * w011
      + lut[k4 + c] * w100 + lut[k5 + c] * w101 + lut[k6 + c] * w110 + lut[k7 + c] * w111;
  job->out[p] = (float)((s[0] + 2048) >> 12) * (100.0f / 16384.0f);
  job->out[job->n + p] = (float)((s[1] + 2048) >> 12) * (1.0f / 64.0f) - 128.0f;
  job->out[2 * job->n + p] = (float)((s[2] + 2048) >> 12) * (1.0f / 64.0f) - 128.0f;
}
#endif

static int lab_work(Task *task) {
  const LabJob *job = (const LabJob *)task;
  for (int part; (part = claim_part(task)) >= 0;) {
    const size_t p0 = (size_t)part * STRIP, p1 = p0 + STRIP < job->n ? p0 + STRIP : job->n;
    for (size_t p = p0; p < p1; p++) lab_pixel(job, p);
  }
  return 0;
}

/* rgbaToLab(rgba: Uint8Array | Uint8ClampedArray, n, lut: Int16Array, codes: Int32Array, out: Float32Array, threads) */
static napi_value rgba_to_lab(napi_env env, napi_callback_info info) {
  size_t argc = 6, rgba_len, lut_len, code_len, out_len;
  napi_value argv[6];
  int n, threads;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 6) {
    napi_throw_type_error(env, NULL, "lab-kernels: expected 6 arguments");
    return NULL;
  }
  LabJob job;
  if (!(job.rgba = typed_array(env, argv[0], napi_uint8_array, napi_uint8_clamped_array, &rgba_len, "lab-kernels: rgba must be a Uint8Array or Uint8ClampedArray"))
    || get_ints(env, argv + 1, 1, &n)
    || !(job.lut = typed_array(env, argv[2], napi_int16_array, -1, &lut_len, "lab-kernels: lut must be an Int16Array"))
    || !(job.code = typed_array(env, argv[3], napi_int32_array, -1, &code_len, "lab-kernels: codes must be an Int32Array"))
    || !(job.out = typed_array(env, argv[4], napi_float32_array, -1, &out_len, "lab-kernels: out must be a Float32Array"))
    || get_ints(env, argv + 5, 1, &threads)) return NULL;
  if (n < 0) {
    napi_throw_range_error(env, NULL, "lab-kernels: n must be >= 0");
    return NULL;
  }
  if (too_short(env, lut_len, (size_t)SB * LUT_DIM + LUT_PAD, "lut must be 33^3 x 3 entries and 8 of padding") || too_short(env, code_len, 256, "codes needs 256 values")
    || too_short(env, rgba_len, 4 * (size_t)n, "rgba is shorter than 4n bytes") || too_short(env, out_len, 3 * (size_t)n, "out is shorter than 3n floats")) return NULL;
  /* Every code must stay inside the table (0..16384, cells 0..32), and one on the last node must
   * have no fraction: the pair loads read the node after it with weight 0. */
  for (int v = 0; v < 256; v++) {
    const int c = job.code[v];
    if (c < 0 || c > 16384 || ((c >> 9) == LUT_DIM - 1 && ((c >> 5) & 15))) {
      napi_throw_range_error(env, NULL, "lab-kernels: a byte's code is outside the table");
      return NULL;
    }
  }
  job.task = (Task){ lab_work, (int)(((size_t)n + STRIP - 1) / STRIP), 0 };
  job.n = (size_t)n;
  run_task(&job.task, threads);
  return NULL;
}

/* ---- Lab -> RGBA ---- */

/* The float32 constants, in lab-wasm.ts's order: then the 3 x 3 XYZ -> RGB matrix (times the white point). */
enum { K_9033, K_7787, K_16_116, K_6_29, K_INV_903, K_INV_116, K_INV_500, K_NEG_INV_200, K_INV_7787, K_C, K_COUNT = K_C + 9 };
/* Rows per part. */
#define ROWS 8

typedef struct {
  Task task; /* first, so a Task * is an RgbJob *; its parts are bands of ROWS rows */
  const float *L, *a, *b;
  uint8_t *out;     /* RGBA */
  const float *k;   /* K_COUNT constants */
  const float *tab; /* the gamma spline: `size` segments of [f, b, c, d] */
  size_t n;
  int width, simd_cols, size;
  float ab_scale;
} RgbJob;

static inline float clip01(float v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* OpenCV's spline gamma (linear 0..1 -> sRGB), then x255 truncated to a byte (a NaN gives 0, as in a Uint8ClampedArray). */
static inline uint8_t gamma_byte(float v, const float *tab, int size) {
  if (v != v) return 0;
  const float x = v * (float)size;
  int ix = (int)x;
  ix = ix < 0 ? 0 : ix > size - 1 ? size - 1 : ix;
  const float t = x - (float)ix, *p = tab + 4 * (size_t)ix;
  const float g = ((p[3] * t + p[2]) * t + p[1]) * t + p[0];
  const int byte = (int)(g * 255.0f);
  return (uint8_t)(byte < 0 ? 0 : byte > 255 ? 255 : byte);
}

/* Pixels p0..p1 by OpenCV's SIMD steps (simd_steps: reciprocal multiplies) or its scalar ones (divisions). */
static void lab_to_rgba_span(const RgbJob *job, size_t p0, size_t p1, int simd_steps) {
  const float *k = job->k, *c = k + K_C;
  for (size_t p = p0; p < p1; p++) {
    const float l = job->L[p], av = job->a[p] * job->ab_scale, bv = job->b[p] * job->ab_scale;
    float x, y, z, fy, r, g, bl;
    if (simd_steps) {
      if (l <= 8) {
        y = l * k[K_INV_903];
        fy = k[K_7787] * y + k[K_16_116];
      } else {
        fy = (l + 16) * k[K_INV_116];
        y = fy * fy * fy;
      }
      x = av * k[K_INV_500] + fy;
      z = bv * k[K_NEG_INV_200] + fy;
      x = x <= k[K_6_29] ? (x - k[K_16_116]) * k[K_INV_7787] : x * x * x;
      z = z <= k[K_6_29] ? (z - k[K_16_116]) * k[K_INV_7787] : z * z * z;
      r = c[0] * x + (c[1] * y + c[2] * z);
      g = c[3] * x + (c[4] * y + c[5] * z);
      bl = c[6] * x + (c[7] * y + c[8] * z);
    } else {
      if (l <= 8) {
        y = l / k[K_9033];
        fy = k[K_7787] * y + k[K_16_116];
      } else {
        fy = (l + 16) / 116;
        y = fy * fy * fy;
      }
      x = av / 500 + fy;
      z = fy - bv / 200;
      x = x <= k[K_6_29] ? (x - k[K_16_116]) / k[K_7787] : x * x * x;
      z = z <= k[K_6_29] ? (z - k[K_16_116]) / k[K_7787] : z * z * z;
      r = c[0] * x + c[1] * y + c[2] * z;
      g = c[3] * x + c[4] * y + c[5] * z;
      bl = c[6] * x + c[7] * y + c[8] * z;
    }
    uint8_t *o = job->out + 4 * p;
    o[0] = gamma_byte(clip01(r), job->tab, job->size);
    o[1] = gamma_byte(clip01(g), job->tab, job->size);
    o[2] = gamma_byte(clip01(bl), job->tab, job->size);
    o[3] = 255;
  }
}

/* 8 float32 or int32 lanes (one AVX2 register, two SSE ones). */
typedef float v8sf __attribute__((vector_size(32)));
typedef int32_t v8si __attribute__((vector_size(32)));
#define LANES8 8

static inline v8sf load8(const float *p) {
  v8sf v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

/* Lane by lane: m ? a : b (m all ones or all zeros). */
static inline v8sf select8(v8si m, v8sf a, v8sf b) { return (v8sf)((m & (v8si)a) | (~m & (v8si)b)); }

static inline v8si selecti8(v8si m, v8si a, v8si b) { return (m & a) | (~m & b); }

/* WebAssembly's pmax and pmin (b if a < b, else a; b if b < a, else a), so NaN lanes go as in lab.as.ts. */
static inline v8sf pmax8(v8sf a, v8sf b) { return select8(a < b, b, a); }
static inline v8sf pmin8(v8sf a, v8sf b) { return select8(b < a, b, a); }

/* v <= 6/29 ? (v - 16/116) / 7.787 (as a reciprocal multiply) : v^3, per lane. */
static inline v8sf cube_or_linear8(v8sf v, const float *k) {
  return select8(v <= k[K_6_29], (v - k[K_16_116]) * k[K_INV_7787], v * v * v);
}

/*
 * gamma_byte(clip01(v)) per lane, as lab.as.ts's gammaBytes4: the clip by pmax/pmin sends NaN to 0
 * (whose byte is 0, as gamma_byte gives NaN); x is then in 0..size, where truncating is flooring,
 * and the spline's value near 0..1, where truncating g * 255 then clamping is clamping then truncating.
 */
static inline v8si gamma_bytes8(v8sf v, const float *tab, int size) {
  const v8sf zero = { 0 }, one = zero + 1.0f;
  const v8sf x = pmin8(one, pmax8(zero, v)) * (float)size;
  v8si ix = __builtin_convertvector(x, v8si);
  ix = selecti8(ix < size - 1, ix, (v8si){ 0 } + (size - 1));
  const v8sf t = x - __builtin_convertvector(ix, v8sf);
  v8sf cf, cb, cc, cd;
  for (int i = 0; i < LANES8; i++) {
    const float *p = tab + 4 * (size_t)ix[i];
    cf[i] = p[0]; cb[i] = p[1]; cc[i] = p[2]; cd[i] = p[3];
  }
  const v8si byte = __builtin_convertvector((((cd * t + cc) * t + cb) * t + cf) * 255.0f, v8si);
  const v8si low = selecti8(byte > 0, byte, (v8si){ 0 });
  return selecti8(low < 255, low, (v8si){ 0 } + 255);
}

/* Pixels p0..p1 (a multiple of 8 apart) by OpenCV's SIMD steps, 8 at a time, each lane the scalar steps' float32 operations. */
WIDEST_VECTORS
static void lab_to_rgba_simd8(const RgbJob *job, size_t p0, size_t p1) {
  const float *k = job->k, *c = k + K_C;
  for (size_t p = p0; p < p1; p += LANES8) {
    const v8sf l = load8(job->L + p), av = load8(job->a + p) * job->ab_scale, bv = load8(job->b + p) * job->ab_scale;
    const v8si dark = l <= 8.0f;
    const v8sf yd = l * k[K_INV_903], fyl = (l + 16.0f) * k[K_INV_116];
    const v8sf fy = select8(dark, k[K_7787] * yd + k[K_16_116], fyl);
    const v8sf y = select8(dark, yd, fyl * fyl * fyl);
    const v8sf x = cube_or_linear8(av * k[K_INV_500] + fy, k), z = cube_or_linear8(bv * k[K_NEG_INV_200] + fy, k);
    const v8si r = gamma_bytes8(c[0] * x + (c[1] * y + c[2] * z), job->tab, job->size);
    const v8si g = gamma_bytes8(c[3] * x + (c[4] * y + c[5] * z), job->tab, job->size);
    const v8si b = gamma_bytes8(c[6] * x + (c[7] * y + c[8] * z), job->tab, job->size);
    uint8_t *o = job->out + 4 * p;
    for (int i = 0; i < LANES8; i++, o += 4) {
      o[0] = (uint8_t)r[i]; o[1] = (uint8_t)g[i]; o[2] = (uint8_t)b[i]; o[3] = 255;
    }
  }
}

static int rgb_work(Task *task) {
  const RgbJob *job = (const RgbJob *)task;
  const size_t width = (size_t)job->width;
  for (int part; (part = claim_part(task)) >= 0;) {
    for (size_t row = (size_t)part * ROWS * width, last = row + ROWS * width; row < last && row < job->n; row += width) {
      const size_t end = row + width < job->n ? row + width : job->n, split = row + (size_t)job->simd_cols < end ? row + (size_t)job->simd_cols : end;
      const size_t vec_end = row + ((split - row) & ~(size_t)(LANES8 - 1));
      lab_to_rgba_simd8(job, row, vec_end);
      lab_to_rgba_span(job, vec_end, split, 1);
      lab_to_rgba_span(job, split, end, 0);
    }
  }
  return 0;
}

/*
 * labToRgba(L, a, b: Float32Array, width, simdCols, abScale, consts: Float32Array, tab: Float32Array,
 * out: Uint8Array | Uint8ClampedArray, threads): L.length pixels in rows `width` wide; columns below
 * simdCols take OpenCV's SIMD steps.
 */
static napi_value lab_to_rgba(napi_env env, napi_callback_info info) {
  size_t argc = 10, l_len, a_len, b_len, k_len, tab_len, out_len;
  napi_value argv[10];
  int ints[2], threads;
  double scale;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 10) {
    napi_throw_type_error(env, NULL, "lab-kernels: expected 10 arguments");
    return NULL;
  }
  RgbJob job;
  if (!(job.L = typed_array(env, argv[0], napi_float32_array, -1, &l_len, "lab-kernels: L must be a Float32Array"))
    || !(job.a = typed_array(env, argv[1], napi_float32_array, -1, &a_len, "lab-kernels: a must be a Float32Array"))
    || !(job.b = typed_array(env, argv[2], napi_float32_array, -1, &b_len, "lab-kernels: b must be a Float32Array"))
    || get_ints(env, argv + 3, 2, ints)) return NULL;
  if (napi_get_value_double(env, argv[5], &scale) != napi_ok) {
    napi_throw_type_error(env, NULL, "lab-kernels: abScale must be a number");
    return NULL;
  }
  if (!(job.k = typed_array(env, argv[6], napi_float32_array, -1, &k_len, "lab-kernels: consts must be a Float32Array"))
    || !(job.tab = typed_array(env, argv[7], napi_float32_array, -1, &tab_len, "lab-kernels: tab must be a Float32Array"))
    || !(job.out = typed_array(env, argv[8], napi_uint8_array, napi_uint8_clamped_array, &out_len, "lab-kernels: out must be a Uint8Array or Uint8ClampedArray"))
    || get_ints(env, argv + 9, 1, &threads)) return NULL;
  job.n = l_len;
  job.width = ints[0];
  job.simd_cols = ints[1];
  job.ab_scale = (float)scale;
  job.size = (int)(tab_len / 4);
  if (job.width < 1 || job.simd_cols < 0 || job.simd_cols > job.width || job.n % (size_t)job.width) {
    napi_throw_range_error(env, NULL, "lab-kernels: width must be >= 1, simdCols in 0..width, and L whole rows");
    return NULL;
  }
  if (too_short(env, a_len, job.n, "a is shorter than L") || too_short(env, b_len, job.n, "b is shorter than L")
    || too_short(env, k_len, K_COUNT, "consts needs 18 values") || too_short(env, tab_len, 4, "tab is empty")
    || too_short(env, out_len, 4 * job.n, "out is shorter than 4 bytes per pixel")) return NULL;
  const size_t rows = job.n / (size_t)job.width;
  job.task = (Task){ rgb_work, (int)((rows + ROWS - 1) / ROWS), 0 };
  run_task(&job.task, threads);
  return NULL;
}

int lab_kernels_init(napi_env env, napi_value exports) {
  return export_function(env, exports, "rgbaToLab", rgba_to_lab) || export_function(env, exports, "labToRgba", lab_to_rgba) ? -1 : 0;
}
