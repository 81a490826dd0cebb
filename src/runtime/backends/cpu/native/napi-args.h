/* Reading and checking the arguments of the addon's functions (Node-API). Each returns after
 * throwing a JavaScript error that names the problem: NULL or -1 then. */
#ifndef DISCO_NAPI_ARGS_H
#define DISCO_NAPI_ARGS_H
#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>

/* The data and length of typed array `v` of type `type` (or, with `also` >= 0, of that type too), or NULL after throwing `what` as a TypeError. */
void *typed_array(napi_env env, napi_value v, napi_typedarray_type type, int also, size_t *length, const char *what);

/* `count` int32 arguments into `out`: 0, or -1 after throwing. */
int get_ints(napi_env env, napi_value *argv, int count, int *out);

/* 0 if `length` >= `need`, else -1 after throwing a RangeError naming `what`. */
int too_short(napi_env env, size_t length, size_t need, const char *what);

/* Adds function `fn` to `exports` as `name`: 0, or -1 after throwing. */
int export_function(napi_env env, napi_value exports, const char *name, napi_callback fn);

#endif
