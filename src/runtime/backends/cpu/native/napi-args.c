#include <stdio.h>
#include "napi-args.h"

void *typed_array(napi_env env, napi_value v, napi_typedarray_type type, int also, size_t *length, const char *what) {
  bool is;
  napi_typedarray_type t;
  void *data;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is
    || napi_get_typedarray_info(env, v, &t, length, &data, NULL, NULL) != napi_ok || (t != type && (also < 0 || t != (napi_typedarray_type)also))) {
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  return data;
}

int get_ints(napi_env env, napi_value *argv, int count, int *out) {
  for (int i = 0; i < count; i++) {
    if (napi_get_value_int32(env, argv[i], &out[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, "native kernels: expected integer arguments");
      return -1;
    }
  }
  return 0;
}

int too_short(napi_env env, size_t length, size_t need, const char *what) {
  if (length >= need) return 0;
  char message[128];
  snprintf(message, sizeof message, "native kernels: %s", what);
  napi_throw_range_error(env, NULL, message);
  return -1;
}

int export_function(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value f;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &f) != napi_ok || napi_set_named_property(env, exports, name, f) != napi_ok) {
    napi_throw_error(env, NULL, "native kernels: could not export a function");
    return -1;
  }
  return 0;
}
