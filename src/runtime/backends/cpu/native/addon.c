/*
 * The native kernels' Node-API addon (built by scripts/build-native.ts during `npm run setup`,
 * loaded by native-kernels.ts; where it is not built, the WebAssembly kernels run): superpixel
 * kernels (sp-kernels.c), RGB -> Lab and back (lab-kernels.c), resizes (resize-kernels.c), the
 * pixels of plain PNGs (png-decode.c), and large arrays laid out for the kernels.
 */
#define _DEFAULT_SOURCE /* madvise */
#include <stdint.h>
#include <sys/mman.h>
#include "napi-args.h"

int sp_kernels_init(napi_env env, napi_value exports);
int lab_kernels_init(napi_env env, napi_value exports);
int png_decode_init(napi_env env, napi_value exports);
int resize_kernels_init(napi_env env, napi_value exports);

#define HUGE_PAGE ((uintptr_t)2 << 20)

/*
 * alignedFloat32Array(length): a zeroed Float32Array whose data starts on a 64-byte boundary (a
 * cache line, an AVX-512 vector; V8 puts large arrays 16 bytes past one), a view into a buffer 64
 * bytes longer. The whole 2 MB pages inside it are marked for transparent huge pages
 * (MADV_HUGEPAGE, where the kernel allows it on request): first touching 16 MB of fresh 4 KB pages
 * costs about 50 ms on our VMs, 8 with huge pages (bench/README.md).
 */
static napi_value aligned_float32_array(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], buffer, array;
  int length;
  void *data;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 || get_ints(env, argv, 1, &length)) return NULL;
  if (length < 0) {
    napi_throw_range_error(env, NULL, "native kernels: an array's length must be >= 0");
    return NULL;
  }
  const size_t bytes = 4 * (size_t)length + 64;
  if (napi_create_arraybuffer(env, bytes, &data, &buffer) != napi_ok) return NULL; /* an exception is pending */
  const uintptr_t at = (uintptr_t)data, start = (at + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1), end = (at + bytes) & ~(HUGE_PAGE - 1);
  if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE); /* advice: refused, it changes nothing */
  if (napi_create_typedarray(env, napi_float32_array, (size_t)length, buffer, (64 - at % 64) % 64, &array) != napi_ok) return NULL;
  return array;
}

NAPI_MODULE_INIT() {
  if (sp_kernels_init(env, exports) || lab_kernels_init(env, exports) || png_decode_init(env, exports) || resize_kernels_init(env, exports) || export_function(env, exports, "alignedFloat32Array", aligned_float32_array)) return NULL;
  return exports;
}
