/*
 * zlib inflation for the CLI's PNG fast path (cli/png-decode.ts) with libdeflate (Debian's
 * libdeflate-dev): a photo's pixel data in about 60 % of node:zlib's time (0.41 against 0.71 ms for
 * a 256x256 photo, bench/README.md). Whole-buffer only, into an output of a size known beforehand,
 * which is all a PNG needs: the decoded size follows from its header.
 */
#include <libdeflate.h>
#include "napi-args.h"

/* One decompressor per thread (a batch worker's JavaScript threads may call at once), kept. */
static _Thread_local struct libdeflate_decompressor *decompressor;

/*
 * inflateZlib(input: Uint8Array, output: Uint8Array): the bytes the zlib stream `input` inflates to,
 * written to `output`; -1 when the data is damaged (a bad Huffman code, a wrong checksum) or does
 * not fit `output`.
 */
static napi_value inflate_zlib(napi_env env, napi_callback_info info) {
  size_t argc = 2, in_len, out_len, written = 0;
  napi_value argv[2], result;
  const void *in;
  void *out;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) {
    napi_throw_type_error(env, NULL, "png-inflate: expected 2 arguments");
    return NULL;
  }
  if (!(in = typed_array(env, argv[0], napi_uint8_array, -1, &in_len, "png-inflate: input must be a Uint8Array"))
    || !(out = typed_array(env, argv[1], napi_uint8_array, -1, &out_len, "png-inflate: output must be a Uint8Array"))) return NULL;
  if (!decompressor && !(decompressor = libdeflate_alloc_decompressor())) {
    napi_throw_error(env, NULL, "png-inflate: out of memory");
    return NULL;
  }
  const enum libdeflate_result r = libdeflate_zlib_decompress(decompressor, in, in_len, out, out_len, &written);
  if (napi_create_int64(env, r == LIBDEFLATE_SUCCESS ? (int64_t)written : -1, &result) != napi_ok) return NULL;
  return result;
}

int png_inflate_init(napi_env env, napi_value exports) {
  return export_function(env, exports, "inflateZlib", inflate_zlib);
}
