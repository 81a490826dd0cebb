/*
 * The bilinear resize of float32 planes as native code for Node (cpu/resize.ts resizeRowsInto, and
 * lab.as.ts's resizeRows): per output row, the horizontal blends of its two source rows (kept while
 * the next output row uses them), then the vertical blend, each in float64 rounded to float32 once,
 * so the same bits. Columns from sw and rows from sh on repeat the last (edge padding). Bands of
 * output rows of every plane are shared among threads (threads.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include "napi-args.h"
#include "threads.h"

/* Output rows per part. */
#define BAND 16

typedef struct {
  Task task; /* first, so a Task * is a ResizeJob *; its parts are bands of BAND output rows of each plane */
  const float *src;      /* planes of H x W */
  float *dst;            /* planes of (y1 - y0) x ow */
  const int32_t *xi0, *xi1, *yi0, *yi1;
  const float *xf, *yf;
  int H, W, sw, sh, y0, y1, ow, bands;
} ResizeJob;

/* dst[x] = src[xi0[x]] (1 - f[x]) + src[xi1[x]] f[x] for x < sw, in float64, rounded to float32. */
static void blend_row(const ResizeJob *job, const float *src, float *dst) {
  for (int x = 0; x < job->sw; x++) {
    const double f = job->xf[x];
    dst[x] = (float)((double)src[job->xi0[x]] * (1 - f) + (double)src[job->xi1[x]] * f);
  }
}

static int resize_work(Task *task) {
  const ResizeJob *job = (const ResizeJob *)task;
  float *row0 = malloc(sizeof(float) * job->sw), *row1 = malloc(sizeof(float) * job->sw);
  const int ok = row0 && row1;
  for (int part; ok && (part = claim_part(task)) >= 0;) {
    const int plane = part / job->bands, first = job->y0 + (part % job->bands) * BAND;
    const int last = first + BAND < job->y1 ? first + BAND : job->y1;
    const float *src = job->src + (size_t)plane * job->H * job->W;
    float *dst = job->dst + (size_t)plane * (job->y1 - job->y0) * job->ow;
    int k0 = -1, k1 = -1;
    for (int oy = first; oy < last; oy++) {
      const int y = oy < job->sh ? oy : job->sh - 1, ya = job->yi0[y], yb = job->yi1[y];
      if (k0 != ya) {
        if (k1 == ya) {
          float *t = row0; row0 = row1; row1 = t;
          k1 = k0;
          k0 = ya;
        } else {
          blend_row(job, src + (size_t)ya * job->W, row0);
          k0 = ya;
        }
      }
      if (k1 != yb) {
        blend_row(job, src + (size_t)yb * job->W, row1);
        k1 = yb;
      }
      const double f = job->yf[y];
      float *o = dst + (size_t)(oy - job->y0) * job->ow;
      for (int ox = 0; ox < job->ow; ox++) {
        const int x = ox < job->sw ? ox : job->sw - 1;
        o[ox] = (float)((double)row0[x] * (1 - f) + (double)row1[x] * f);
      }
    }
  }
  free(row0);
  free(row1);
  return ok ? 0 : -1;
}

/* 0 if every index of `idx` (n of them) is in 0..limit-1, else -1 after throwing. */
static int check_indices(napi_env env, const int32_t *idx, size_t n, int limit) {
  for (size_t i = 0; i < n; i++) {
    if (idx[i] < 0 || idx[i] >= limit) {
      napi_throw_range_error(env, NULL, "resize-kernels: a tap's index is outside the source");
      return -1;
    }
  }
  return 0;
}

/*
 * resizePlanes(src: Float32Array, planes, H, W, xi0, xi1: Int32Array, xf: Float32Array, yi0, yi1:
 * Int32Array, yf: Float32Array, y0, y1, ow, dst: Float32Array, threads): output rows y0..y1 (ow
 * wide) of each of the planes (H x W each, one after the other) into dst (plane by plane).
 */
static napi_value resize_planes(napi_env env, napi_callback_info info) {
  size_t argc = 15, src_len, xi0_len, xi1_len, xf_len, yi0_len, yi1_len, yf_len, dst_len;
  napi_value argv[15];
  int head[3], rows[3], threads, planes;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 15) {
    napi_throw_type_error(env, NULL, "resize-kernels: expected 15 arguments");
    return NULL;
  }
  ResizeJob job;
  if (!(job.src = typed_array(env, argv[0], napi_float32_array, -1, &src_len, "resize-kernels: src must be a Float32Array")) || get_ints(env, argv + 1, 3, head)
    || !(job.xi0 = typed_array(env, argv[4], napi_int32_array, -1, &xi0_len, "resize-kernels: xi0 must be an Int32Array"))
    || !(job.xi1 = typed_array(env, argv[5], napi_int32_array, -1, &xi1_len, "resize-kernels: xi1 must be an Int32Array"))
    || !(job.xf = typed_array(env, argv[6], napi_float32_array, -1, &xf_len, "resize-kernels: xf must be a Float32Array"))
    || !(job.yi0 = typed_array(env, argv[7], napi_int32_array, -1, &yi0_len, "resize-kernels: yi0 must be an Int32Array"))
    || !(job.yi1 = typed_array(env, argv[8], napi_int32_array, -1, &yi1_len, "resize-kernels: yi1 must be an Int32Array"))
    || !(job.yf = typed_array(env, argv[9], napi_float32_array, -1, &yf_len, "resize-kernels: yf must be a Float32Array"))
    || get_ints(env, argv + 10, 3, rows)
    || !(job.dst = typed_array(env, argv[13], napi_float32_array, -1, &dst_len, "resize-kernels: dst must be a Float32Array"))
    || get_ints(env, argv + 14, 1, &threads)) return NULL;
  planes = head[0]; job.H = head[1]; job.W = head[2];
  job.y0 = rows[0]; job.y1 = rows[1]; job.ow = rows[2];
  job.sw = (int)xf_len; job.sh = (int)yf_len;
  if (planes < 0 || job.H < 1 || job.W < 1 || job.sw < 1 || job.sh < 1 || job.ow < 1 || job.y0 < 0 || job.y1 < job.y0
    || xi0_len < xf_len || xi1_len < xf_len || yi0_len < yf_len || yi1_len < yf_len) {
    napi_throw_range_error(env, NULL, "resize-kernels: sizes must be positive, rows y0 <= y1, one index pair per tap");
    return NULL;
  }
  if (check_indices(env, job.xi0, xf_len, job.W) || check_indices(env, job.xi1, xf_len, job.W)
    || check_indices(env, job.yi0, yf_len, job.H) || check_indices(env, job.yi1, yf_len, job.H)
    || too_short(env, src_len, (size_t)planes * job.H * job.W, "src is shorter than its planes")
    || too_short(env, dst_len, (size_t)planes * (job.y1 - job.y0) * job.ow, "dst is shorter than the rows asked for")) return NULL;
  job.bands = (job.y1 - job.y0 + BAND - 1) / BAND;
  job.task = (Task){ resize_work, planes * job.bands, 0 };
  if (run_task(&job.task, threads)) napi_throw_error(env, NULL, "resize-kernels: out of memory");
  return NULL;
}

int resize_kernels_init(napi_env env, napi_value exports) {
  return export_function(env, exports, "resizePlanes", resize_planes);
}
