/*
 * The pixels of a plain PNG (8-bit gray, gray+alpha, RGB or RGBA, not interlaced) for the CLI's fast
 * path (cli/png-decode.ts, which reads and checks the chunks first): the zlib stream inflated with
 * libdeflate (Debian's libdeflate-dev; 60 % of node:zlib's time for a photo), each row's filter
 * undone, and the rows written as RGBA with alpha composited over white, the same integer steps as
 * png-decode.ts's TypeScript, so the same bytes.
 */
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include "napi-args.h"

/* One decompressor and inflation buffer per thread (a batch worker's JavaScript threads may call at once), kept. */
static _Thread_local struct libdeflate_decompressor *decompressor;
static _Thread_local uint8_t *scratch;
static _Thread_local size_t scratch_size;
/* Inflation buffers up to this size are kept: a huge photo's should not stay. */
#define KEPT_BYTES ((size_t)16 << 20)

static inline int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes a row's filter in place (PNG spec, section 9); 0, or -1 for an unknown filter type. */
static int unfilter(int filter, uint8_t *row, const uint8_t *prev, size_t n, size_t bpp) {
  switch (filter) {
    case 0: return 0;
    case 1: for (size_t i = bpp; i < n; i++) row[i] += row[i - bpp]; return 0;
    case 2: for (size_t i = 0; i < n; i++) row[i] += prev[i]; return 0;
    case 3:
      for (size_t i = 0; i < bpp; i++) row[i] += prev[i] >> 1;
      for (size_t i = bpp; i < n; i++) row[i] += (row[i - bpp] + prev[i]) >> 1;
      return 0;
    case 4:
      for (size_t i = 0; i < bpp; i++) row[i] += prev[i]; /* Paeth with left = upper-left = 0 picks the one above */
      for (size_t i = bpp; i < n; i++) row[i] += paeth(row[i - bpp], prev[i], prev[i - bpp]);
      return 0;
    default: return -1;
  }
}

/* v over white with alpha a, rounded down as libvips' flatten rounds it. */
static inline uint8_t over(int v, int a) { return (uint8_t)((v * a + 255 * (255 - a)) / 255); }

/* One unfiltered row of `width` pixels of `channels` samples to RGBA. */
static void to_rgba(const uint8_t *s, uint8_t *o, size_t width, int channels) {
  for (size_t x = 0; x < width; x++, o += 4) {
    switch (channels) {
      case 1: o[0] = o[1] = o[2] = s[x]; break;
      case 2: o[0] = o[1] = o[2] = over(s[2 * x], s[2 * x + 1]); break;
      case 3: o[0] = s[3 * x]; o[1] = s[3 * x + 1]; o[2] = s[3 * x + 2]; break;
      default: o[0] = over(s[4 * x], s[4 * x + 3]); o[1] = over(s[4 * x + 1], s[4 * x + 3]); o[2] = over(s[4 * x + 2], s[4 * x + 3]); break;
    }
    o[3] = 255;
  }
}

/*
 * decodePng(idat: Uint8Array, width, height, channels, out: Uint8ClampedArray): writes the RGBA
 * pixels to `out` (4 x width x height bytes); false when the data is damaged (a bad zlib stream or
 * checksum, more or less data than the header says, an unknown filter type).
 */
static napi_value decode_png(napi_env env, napi_callback_info info) {
  size_t argc = 5, in_len, out_len, written = 0;
  napi_value argv[5], result;
  int dims[3];
  const uint8_t *in;
  uint8_t *out;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5) {
    napi_throw_type_error(env, NULL, "png-decode: expected 5 arguments");
    return NULL;
  }
  if (!(in = typed_array(env, argv[0], napi_uint8_array, -1, &in_len, "png-decode: idat must be a Uint8Array")) || get_ints(env, argv + 1, 3, dims)
    || !(out = typed_array(env, argv[4], napi_uint8_clamped_array, -1, &out_len, "png-decode: out must be a Uint8ClampedArray"))) return NULL;
  const int width = dims[0], height = dims[1], channels = dims[2];
  if (width < 1 || height < 1 || channels < 1 || channels > 4) {
    napi_throw_range_error(env, NULL, "png-decode: width and height must be >= 1, channels 1..4");
    return NULL;
  }
  const size_t row_bytes = (size_t)width * channels, stride = row_bytes + 1, size = stride * height;
  if (too_short(env, out_len, 4 * (size_t)width * height, "out is shorter than 4 bytes per pixel")) return NULL;
  if (!decompressor) decompressor = libdeflate_alloc_decompressor();
  uint8_t *raw = !decompressor ? NULL : size <= scratch_size ? scratch : malloc(size);
  if (!raw) {
    napi_throw_error(env, NULL, "png-decode: out of memory");
    return NULL;
  }
  if (raw != scratch && size <= KEPT_BYTES) {
    free(scratch);
    scratch = raw;
    scratch_size = size;
  }
  int ok = libdeflate_zlib_decompress(decompressor, in, in_len, raw, size, &written) == LIBDEFLATE_SUCCESS && written == size;
  const uint8_t *prev = NULL;
  static const uint8_t zeros[4 * 4096]; /* the row above the first, for rows up to this long */
  uint8_t *zero_row = row_bytes <= sizeof zeros ? NULL : calloc(row_bytes, 1);
  if (row_bytes > sizeof zeros && !zero_row) ok = 0;
  for (int y = 0; ok && y < height; y++) {
    uint8_t *row = raw + y * stride + 1;
    ok = unfilter(row[-1], row, prev ? prev : zero_row ? zero_row : zeros, row_bytes, channels) == 0;
    if (ok) to_rgba(row, out + 4 * (size_t)width * y, width, channels);
    prev = row;
  }
  free(zero_row);
  if (raw != scratch) free(raw);
  if (napi_get_boolean(env, ok, &result) != napi_ok) return NULL;
  return result;
}

int png_decode_init(napi_env env, napi_value exports) {
  return export_function(env, exports, "decodePng", decode_png);
}
