/*
 * RGB -> Lab of RGBA bytes as native code for Node: OpenCV's float RGB2Lab (trilinear interpolation
 * in fixed point in a 33^3 table), the same integer steps as rgbToLabImage in cpu/lab.ts, so the
 * same bits; strips of pixels shared among threads (threads.h). The table and the bytes' codes
 * come from JavaScript (opencv-lab-tables.ts), so there is one definition of them.
 */
#include <stdint.h>
#include "napi-args.h"
#include "threads.h"

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
  if (n < 0 || too_short(env, lut_len, (size_t)SB * LUT_DIM + LUT_PAD, "lut must be 33^3 x 3 entries and 8 of padding") || too_short(env, code_len, 256, "codes needs 256 values")
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

int lab_kernels_init(napi_env env, napi_value exports) {
  return export_function(env, exports, "rgbaToLab", rgba_to_lab);
}
