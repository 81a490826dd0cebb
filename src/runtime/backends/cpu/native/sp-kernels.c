/*
 * SP-Diffuse, SP-Pool and the superpixel sizes as native code for Node (part of the addon, addon.c).
 * WebAssembly SIMD has four float32 lanes; compiled here, the same loops use
 * the CPU's widest vectors (AVX-512 or AVX2 where present: target_clones picks at load time), and
 * they read and write the JavaScript arrays in place instead of copying them through a WebAssembly
 * memory. Bands (rows of superpixel cells) are shared among `threads` threads (threads.h).
 *
 * Same arithmetic on every CPU: built with -ffp-contract=off (no fused multiply-adds), and every
 * sum has a fixed order written out below, so wider vectors change the speed, not the bits.
 *
 * - diffuse: out[c][p] = sum over k = 0..8 of A_k(p) * t[c][cell(p) + offset_k], in float32, k in
 *   order, starting from +0: the same bits as the scalar definition (sp-diffuse.ts).
 * - pool: for each source cell, channel j (0: the mass, A_k itself; j >= 1: A_k * x_{j-1}) and
 *   neighbour k, a float32 partial sum: one per pixel column of the cell over its rows, in row
 *   order, then the columns added pairwise (halving); the partial sums go into float64 sums of the
 *   target cells in a fixed order (source cells row-major, then j, then k), whichever thread made
 *   them. The error bound is in sp-pool.ts.
 * - sizes: per source cell and neighbour k, how many of the cell's pixels have A_k equal to their
 *   largest A (the superpixel sizes' counts; sp-sizes.ts adds them up per target cell).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "napi-args.h"
#include "threads.h"
#include "widest-vectors.h"

typedef struct Job Job;
struct Job {
  Task task;          /* first, so a Task * is a Job *; its parts are the h bands */
  /* diffuse and pool: what is done to band cy, with a thread's scratch (band_work) */
  void (*band)(const Job *job, int cy, float *block, float *cols);
  const float *assoc; /* 9 x H x W */
  const float *in;    /* diffuse: the tokens, C x h x w; pool: x, C x H x W */
  void *out;          /* diffuse: C x H x W floats; pool: the partial sums, (h*w) x (C+1) x 9 floats; sizes: h*w x 9 int32 counts */
  int C, H, W, cell, h, w;
};

/* 16 float32 lanes (GCC's vector extension: one AVX-512 register, two AVX2 ones, four SSE ones). */
typedef float v16f __attribute__((vector_size(64)));
/* The same, at any float's address (no 64-byte alignment assumed). */
typedef float v16f_unaligned __attribute__((vector_size(64), aligned(4)));
#define LANES 16
#define load16(p) (*(const v16f_unaligned *)(p))

/* Copies cell (cy, cx)'s 9 association planes to `block` (9 x cell x cell): the 9 planes of the
 * map are H*W floats apart, a multiple of 4 KB at common sizes, where they would evict each other
 * from the L1 cache in the loops below. */
static void copy_block(const Job *job, int cy, int cx, float *block) {
  const size_t hw = (size_t)job->H * job->W;
  const int cell = job->cell;
  for (int k = 0; k < 9; k++)
    for (int y = 0; y < cell; y++)
      memcpy(block + ((size_t)k * cell + y) * cell, job->assoc + k * hw + (size_t)(cy * cell + y) * job->W + (size_t)cx * cell, sizeof(float) * cell);
}

/* Token c of cell (ny, nx), 0 outside the grid. */
static float token(const Job *job, int c, int ny, int nx) {
  if (ny < 0 || nx < 0 || ny >= job->h || nx >= job->w) return 0.0f;
  return job->in[((size_t)c * job->h + ny) * job->w + nx];
}

WIDEST_VECTORS
static void diffuse_band(const Job *job, int cy, float *block, float *unused) {
  (void)unused;
  const int cell = job->cell, W = job->W;
  const size_t hw = (size_t)job->H * W, n = (size_t)cell * cell;
  for (int cx = 0; cx < job->w; cx++) {
    copy_block(job, cy, cx, block);
    const float *a0 = block, *a1 = a0 + n, *a2 = a1 + n, *a3 = a2 + n, *a4 = a3 + n;
    const float *a5 = a4 + n, *a6 = a5 + n, *a7 = a6 + n, *a8 = a7 + n;
    for (int c = 0; c < job->C; c++) {
      const float t0 = token(job, c, cy - 1, cx - 1), t1 = token(job, c, cy - 1, cx), t2 = token(job, c, cy - 1, cx + 1);
      const float t3 = token(job, c, cy, cx - 1), t4 = token(job, c, cy, cx), t5 = token(job, c, cy, cx + 1);
      const float t6 = token(job, c, cy + 1, cx - 1), t7 = token(job, c, cy + 1, cx), t8 = token(job, c, cy + 1, cx + 1);
      float *o = (float *)job->out + c * hw + (size_t)cy * cell * W + (size_t)cx * cell;
      if (cell % LANES == 0) {
        for (int y = 0; y < cell; y++, o += W)
          for (int i = 0; i < cell; i += LANES) {
            const size_t p = (size_t)y * cell + i;
            v16f s = (v16f){ 0 } + load16(a0 + p) * t0;
            s += load16(a1 + p) * t1; s += load16(a2 + p) * t2; s += load16(a3 + p) * t3; s += load16(a4 + p) * t4;
            s += load16(a5 + p) * t5; s += load16(a6 + p) * t6; s += load16(a7 + p) * t7; s += load16(a8 + p) * t8;
            *(v16f_unaligned *)(o + i) = s;
          }
        continue;
      }
      for (int y = 0; y < cell; y++, o += W) {
        const size_t r = (size_t)y * cell;
        for (int i = 0; i < cell; i++) {
          const size_t p = r + i;
          /* 0 + ...: a sum that starts from +0, as in the definition (so -0 becomes +0). */
          float s = 0.0f + a0[p] * t0;
          s += a1[p] * t1; s += a2[p] * t2; s += a3[p] * t3; s += a4[p] * t4;
          s += a5[p] * t5; s += a6[p] * t6; s += a7[p] * t7; s += a8[p] * t8;
          o[i] = s;
        }
      }
    }
  }
}

/* The `n` values of v added pairwise, halving: v[i] += v[i + n - half] until one is left. */
static float sum_columns(float *v, int n) {
  while (n > 1) {
    const int half = n / 2;
    for (int i = 0; i < half; i++) v[i] += v[n - half + i];
    n -= half;
  }
  return v[0];
}


typedef float v8f __attribute__((vector_size(32)));
typedef float v4f __attribute__((vector_size(16)));
typedef float v2f __attribute__((vector_size(8)));

/* The 16 lanes of v added pairwise, halving: lanes i and i + 8, then i and i + 4, ... */
static inline __attribute__((always_inline)) float sum_lanes(v16f v) {
  const v8f a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  const v4f b = __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
  const v2f c = __builtin_shufflevector(b, b, 0, 1) + __builtin_shufflevector(b, b, 2, 3);
  return c[0] + c[1];
}

/*
 * The 9 partial sums of cell (cy, cx) for channel j: partial[k] = sum over the cell's pixels of
 * A_k * x_j (x_0 = 1), as one sum per pixel column over the rows, in row order, then the columns
 * added pairwise. With cell % 16 == 0, 16 columns at a time in vector registers, the groups of 16
 * added pairwise (halving), then the 16 lanes; else one column at a time (`cols`: 9 x cell floats),
 * added pairwise by sum_columns. Which way depends on cell alone, so every CPU gets the same bits.
 */
WIDEST_VECTORS
static void cell_sums(const Job *job, const float *block, const float *x, float *cols, float *partial) {
  const int cell = job->cell, W = job->W;
  const size_t n = (size_t)cell * cell;
  if (cell % LANES == 0) {
    const int groups = cell / LANES;
    v16f *sums = (v16f *)cols; /* 9 x groups */
    for (int g = 0; g < groups; g++) {
      v16f s0 = { 0 }, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0;
      for (int y = 0; y < cell; y++) {
        const float *a = block + (size_t)y * cell + g * LANES;
        const v16f v = x ? load16(x + (size_t)y * W + g * LANES) : (v16f){ 0 } + 1.0f;
        s0 += load16(a) * v; s1 += load16(a + n) * v; s2 += load16(a + 2 * n) * v;
        s3 += load16(a + 3 * n) * v; s4 += load16(a + 4 * n) * v; s5 += load16(a + 5 * n) * v;
        s6 += load16(a + 6 * n) * v; s7 += load16(a + 7 * n) * v; s8 += load16(a + 8 * n) * v;
      }
      if (groups == 1) {
        partial[0] = sum_lanes(s0); partial[1] = sum_lanes(s1); partial[2] = sum_lanes(s2);
        partial[3] = sum_lanes(s3); partial[4] = sum_lanes(s4); partial[5] = sum_lanes(s5);
        partial[6] = sum_lanes(s6); partial[7] = sum_lanes(s7); partial[8] = sum_lanes(s8);
        return;
      }
      const v16f s[9] = { s0, s1, s2, s3, s4, s5, s6, s7, s8 };
      for (int k = 0; k < 9; k++) sums[k * groups + g] = s[k];
    }
    for (int k = 0; k < 9; k++) {
      v16f *v = sums + k * groups;
      for (int m = groups; m > 1;) {
        const int half = m / 2;
        for (int i = 0; i < half; i++) v[i] += v[m - half + i];
        m -= half;
      }
      partial[k] = sum_lanes(v[0]);
    }
    return;
  }
  memset(cols, 0, sizeof(float) * 9 * cell);
  for (int y = 0; y < cell; y++)
    for (int k = 0; k < 9; k++) {
      const float *a = block + k * n + (size_t)y * cell;
      float *s = cols + k * cell;
      for (int i = 0; i < cell; i++) s[i] += a[i] * (x ? x[(size_t)y * W + i] : 1.0f);
    }
  for (int k = 0; k < 9; k++) partial[k] = sum_columns(cols + k * cell, cell);
}

static void pool_band(const Job *job, int cy, float *block, float *cols) {
  const int cell = job->cell, W = job->W, C = job->C;
  const size_t hw = (size_t)job->H * W;
  for (int cx = 0; cx < job->w; cx++) {
    copy_block(job, cy, cx, block);
    float *partial = (float *)job->out + ((size_t)cy * job->w + cx) * (C + 1) * 9;
    for (int j = 0; j <= C; j++) {
      const float *x = j == 0 ? NULL : job->in + (j - 1) * hw + (size_t)cy * cell * W + (size_t)cx * cell;
      cell_sums(job, block, x, cols, partial + j * 9);
    }
  }
}

/*
 * Claims bands until none is left and does job->band to each, with this thread's scratch: one
 * cell's association block, and column sums (cols: 9 x cell floats, or 9 x cell / 16 vectors of 16,
 * so 64-byte aligned, a multiple of 64 long). 0, or -1 out of memory.
 */
static int band_work(Task *task) {
  const Job *job = (const Job *)task;
  const size_t cell = job->cell, cols_bytes = (sizeof(float) * 9 * cell + 63) & ~(size_t)63;
  float *block = malloc(sizeof(float) * 9 * cell * cell), *cols = aligned_alloc(64, cols_bytes);
  const int ok = block && cols;
  for (int cy; ok && (cy = claim_part(task)) >= 0;) job->band(job, cy, block, cols);
  free(block);
  free(cols);
  return ok ? 0 : -1;
}

/* max as WebAssembly's f32x4.pmax takes it (b if a < b, else a), so NaNs go the same way as in sp-kernels.as.ts. */
static inline float pmax(float a, float b) { return a < b ? b : a; }

static int sizes_work(Task *task) {
  const Job *job = (const Job *)task;
  const int cell = job->cell, W = job->W;
  const size_t hw = (size_t)job->H * W;
  for (int cy; (cy = claim_part(task)) >= 0;) {
    for (int cx = 0; cx < job->w; cx++) {
      int32_t n[9] = { 0 };
      for (int y = 0; y < cell; y++) {
        const float *a = job->assoc + (size_t)(cy * cell + y) * W + (size_t)cx * cell;
        for (int i = 0; i < cell; i++) {
          const float v0 = a[i], v1 = a[hw + i], v2 = a[2 * hw + i], v3 = a[3 * hw + i], v4 = a[4 * hw + i];
          const float v5 = a[5 * hw + i], v6 = a[6 * hw + i], v7 = a[7 * hw + i], v8 = a[8 * hw + i];
          const float m = pmax(pmax(pmax(pmax(v0, v1), pmax(v2, v3)), pmax(pmax(v4, v5), pmax(v6, v7))), v8);
          n[0] += v0 == m; n[1] += v1 == m; n[2] += v2 == m; n[3] += v3 == m; n[4] += v4 == m;
          n[5] += v5 == m; n[6] += v6 == m; n[7] += v7 == m; n[8] += v8 == m;
        }
      }
      memcpy((int32_t *)job->out + ((size_t)cy * job->w + cx) * 9, n, sizeof n);
    }
  }
  return 0;
}

/* Adds the partial sums to the float64 sums ((C+1) x h x w), source cells in row-major order. */
static void add_partials(const float *partial, double *sums, int C, int h, int w) {
  const size_t n = (size_t)h * w;
  for (int cy = 0; cy < h; cy++)
    for (int cx = 0; cx < w; cx++) {
      const float *p = partial + ((size_t)cy * w + cx) * (C + 1) * 9;
      for (int j = 0; j <= C; j++)
        for (int k = 0; k < 9; k++) {
          const int ny = cy + k / 3 - 1, nx = cx + k % 3 - 1;
          if (ny >= 0 && nx >= 0 && ny < h && nx < w) sums[j * n + (size_t)ny * w + nx] += p[j * 9 + k];
        }
    }
}

/* ---- Node-API binding ---- */

#define SHORT "an array is shorter than the grid needs"

/* The arguments the functions take: (in, C, assoc, H, W, cell, out, threads); sizes has no in and C. */
typedef struct {
  const float *in, *assoc;
  void *out;
  size_t in_len, assoc_len, out_len;
  int C, H, W, cell, threads;
} Args;

/* Checks the grid: positive sizes, H and W multiples of cell, an association map of 9 x H x W. 0, or -1 after throwing. */
static int check_grid(napi_env env, const Args *a) {
  if (a->C < 1 || a->H < 1 || a->W < 1 || a->cell < 1 || a->H % a->cell || a->W % a->cell) {
    napi_throw_range_error(env, NULL, "sp-kernels: C, H, W, cell must be positive, H and W multiples of cell");
    return -1;
  }
  return too_short(env, a->assoc_len, 9 * (size_t)a->H * a->W, SHORT);
}

/*
 * Reads the 8 arguments: `in` a Float32Array (named `in_name` in errors), `out` a typed array of
 * `out_type` (named `out_name`), the others int32, and checks the grid. 0, or -1 after throwing.
 */
static int get_args(napi_env env, napi_callback_info info, const char *in_name, napi_typedarray_type out_type, const char *out_name, Args *a) {
  size_t argc = 8;
  napi_value argv[8];
  char message[96];
  int dims[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 8) {
    napi_throw_type_error(env, NULL, "sp-kernels: expected 8 arguments");
    return -1;
  }
  snprintf(message, sizeof message, "sp-kernels: %s must be a Float32Array", in_name);
  if (!(a->in = typed_array(env, argv[0], napi_float32_array, -1, &a->in_len, message)) || get_ints(env, argv + 1, 1, &a->C)) return -1;
  if (!(a->assoc = typed_array(env, argv[2], napi_float32_array, -1, &a->assoc_len, "sp-kernels: assoc must be a Float32Array")) || get_ints(env, argv + 3, 3, dims)) return -1;
  snprintf(message, sizeof message, "sp-kernels: %s must be a %s", out_name, out_type == napi_float64_array ? "Float64Array" : "Float32Array");
  if (!(a->out = typed_array(env, argv[6], out_type, -1, &a->out_len, message)) || get_ints(env, argv + 7, 1, &a->threads)) return -1;
  a->H = dims[0]; a->W = dims[1]; a->cell = dims[2];
  return check_grid(env, a);
}

/* diffuse(tokens: Float32Array, C, assoc: Float32Array, H, W, cell, out: Float32Array, threads) */
static napi_value diffuse(napi_env env, napi_callback_info info) {
  Args a;
  if (get_args(env, info, "tokens", napi_float32_array, "out", &a)) return NULL;
  const int h = a.H / a.cell, w = a.W / a.cell;
  if (too_short(env, a.in_len, (size_t)a.C * h * w, SHORT) || too_short(env, a.out_len, (size_t)a.C * a.H * a.W, SHORT)) return NULL;
  Job job = { { band_work, h, 0 }, diffuse_band, a.assoc, a.in, a.out, a.C, a.H, a.W, a.cell, h, w };
  if (run_task(&job.task, a.threads)) napi_throw_error(env, NULL, "sp-kernels: out of memory");
  return NULL;
}

/* pool(x: Float32Array, C, assoc: Float32Array, H, W, cell, sums: Float64Array, threads) */
static napi_value pool(napi_env env, napi_callback_info info) {
  Args a;
  if (get_args(env, info, "x", napi_float64_array, "sums", &a)) return NULL;
  const int C = a.C, h = a.H / a.cell, w = a.W / a.cell;
  if (too_short(env, a.in_len, (size_t)C * a.H * a.W, SHORT) || too_short(env, a.out_len, (size_t)(C + 1) * h * w, SHORT)) return NULL;
  float *partial = malloc(sizeof(float) * (size_t)h * w * (C + 1) * 9);
  Job job = { { band_work, h, 0 }, pool_band, a.assoc, a.in, partial, C, a.H, a.W, a.cell, h, w };
  if (!partial || run_task(&job.task, a.threads)) {
    free(partial);
    napi_throw_error(env, NULL, "sp-kernels: out of memory");
    return NULL;
  }
  double *sums = a.out;
  memset(sums, 0, sizeof(double) * (size_t)(C + 1) * h * w);
  add_partials(partial, sums, C, h, w);
  free(partial);
  return NULL;
}

/* sizes(assoc: Float32Array, H, W, cell, counts: Int32Array (h*w x 9), threads) */
static napi_value sizes(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  Args a = { 0 };
  int dims[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 6) {
    napi_throw_type_error(env, NULL, "sp-kernels: expected 6 arguments");
    return NULL;
  }
  if (!(a.assoc = typed_array(env, argv[0], napi_float32_array, -1, &a.assoc_len, "sp-kernels: assoc must be a Float32Array")) || get_ints(env, argv + 1, 3, dims)) return NULL;
  if (!(a.out = typed_array(env, argv[4], napi_int32_array, -1, &a.out_len, "sp-kernels: counts must be an Int32Array")) || get_ints(env, argv + 5, 1, &a.threads)) return NULL;
  a.C = 1; a.H = dims[0]; a.W = dims[1]; a.cell = dims[2];
  if (check_grid(env, &a)) return NULL;
  const int h = a.H / a.cell, w = a.W / a.cell;
  if (too_short(env, a.out_len, (size_t)h * w * 9, SHORT)) return NULL;
  Job job = { { sizes_work, h, 0 }, NULL, a.assoc, NULL, a.out, 1, a.H, a.W, a.cell, h, w };
  run_task(&job.task, a.threads);
  return NULL;
}

int sp_kernels_init(napi_env env, napi_value exports) {
  return export_function(env, exports, "diffuse", diffuse) || export_function(env, exports, "pool", pool) || export_function(env, exports, "sizes", sizes) ? -1 : 0;
}
