/* ffi_call for wasm32: each argument is packed into an 8-byte slot tagged
 * i32/i64/f32/f64 and a JS helper calls the function from the wasm table
 * with those values. Calling through JS also tolerates callbacks declared
 * with fewer parameters than the signal passes (JS drops surplus arguments),
 * which a direct call_indirect would trap on. */
#include "ffi.h"

#include <emscripten.h>
#include <stdint.h>
#include <string.h>

#define SCALAR(name, t, code) ffi_type ffi_type_##name = {sizeof(t), _Alignof(t), code, NULL}
ffi_type ffi_type_void = {1, 1, FFI_TYPE_VOID, NULL};
SCALAR(uint8, uint8_t, FFI_TYPE_UINT8);
SCALAR(sint8, int8_t, FFI_TYPE_SINT8);
SCALAR(uint16, uint16_t, FFI_TYPE_UINT16);
SCALAR(sint16, int16_t, FFI_TYPE_SINT16);
SCALAR(uint32, uint32_t, FFI_TYPE_UINT32);
SCALAR(sint32, int32_t, FFI_TYPE_SINT32);
SCALAR(uint64, uint64_t, FFI_TYPE_UINT64);
SCALAR(sint64, int64_t, FFI_TYPE_SINT64);
SCALAR(float, float, FFI_TYPE_FLOAT);
SCALAR(double, double, FFI_TYPE_DOUBLE);
SCALAR(pointer, void *, FFI_TYPE_POINTER);

enum { KIND_VOID = 0, KIND_I32 = 1, KIND_I64 = 2, KIND_F32 = 3, KIND_F64 = 4 };

typedef union {
  int32_t i32;
  int64_t i64;
  float f32;
  double f64;
} slot_t;

static int kind_of(const ffi_type *t) {
  switch (t->type) {
  case FFI_TYPE_VOID: return KIND_VOID;
  case FFI_TYPE_UINT64:
  case FFI_TYPE_SINT64: return KIND_I64;
  case FFI_TYPE_FLOAT: return KIND_F32;
  case FFI_TYPE_DOUBLE: return KIND_F64;
  default: return KIND_I32;
  }
}

/* Reads memory through a fresh view so that memory growth is safe. `fn` is a
 * table index; EM_JS cannot parse a function-pointer parameter, hence void*. */
EM_JS(void, vips_edge_ffi_invoke,
      (void *fn, const int32_t *kinds, const slot_t *slots, int nargs,
       int rkind, slot_t *result),
      {
        const view = new DataView(wasmMemory.buffer);
        const args = [];
        for (let i = 0; i < nargs; i++) {
          const kind = view.getInt32(kinds + 4 * i, true);
          const at = slots + 8 * i;
          if (kind === 2) args.push(view.getBigInt64(at, true));
          else if (kind === 3) args.push(view.getFloat32(at, true));
          else if (kind === 4) args.push(view.getFloat64(at, true));
          else args.push(view.getInt32(at, true));
        }
        const out = wasmTable.get(fn).apply(null, args);
        const after = new DataView(wasmMemory.buffer);
        if (rkind === 2) after.setBigInt64(result, BigInt.asIntN(64, BigInt(out)), true);
        else if (rkind === 3) after.setFloat32(result, out, true);
        else if (rkind === 4) after.setFloat64(result, out, true);
        else if (rkind === 1) after.setInt32(result, out | 0, true);
      });

ffi_status ffi_prep_cif(ffi_cif *cif, ffi_abi abi, unsigned int nargs,
                        ffi_type *rtype, ffi_type **atypes) {
  if (abi != FFI_DEFAULT_ABI) return FFI_BAD_ABI;
  for (unsigned i = 0; i < nargs; i++)
    if (atypes[i]->elements != NULL || atypes[i]->type == FFI_TYPE_VOID) return FFI_BAD_TYPEDEF;
  cif->abi = abi;
  cif->nargs = nargs;
  cif->arg_types = atypes;
  cif->rtype = rtype;
  cif->bytes = 8 * nargs;
  cif->flags = 0;
  return FFI_OK;
}

static int32_t widen_to_i32(const ffi_type *t, const void *p) {
  switch (t->type) {
  case FFI_TYPE_UINT8: return *(const uint8_t *)p;
  case FFI_TYPE_SINT8: return *(const int8_t *)p;
  case FFI_TYPE_UINT16: return *(const uint16_t *)p;
  case FFI_TYPE_SINT16: return *(const int16_t *)p;
  default: { int32_t v; memcpy(&v, p, 4); return v; }
  }
}

void ffi_call(ffi_cif *cif, void (*fn)(void), void *rvalue, void **avalue) {
  int32_t kinds[cif->nargs ? cif->nargs : 1];
  slot_t slots[cif->nargs ? cif->nargs : 1];
  for (unsigned i = 0; i < cif->nargs; i++) {
    const ffi_type *t = cif->arg_types[i];
    kinds[i] = kind_of(t);
    switch (kinds[i]) {
    case KIND_I64: memcpy(&slots[i].i64, avalue[i], 8); break;
    case KIND_F32: memcpy(&slots[i].f32, avalue[i], 4); break;
    case KIND_F64: memcpy(&slots[i].f64, avalue[i], 8); break;
    default: slots[i].i32 = widen_to_i32(t, avalue[i]); break;
    }
  }
  slot_t result = {0};
  int rkind = kind_of(cif->rtype);
  vips_edge_ffi_invoke((void *)fn, kinds, slots, (int)cif->nargs, rkind, &result);
  if (rvalue == NULL) return;
  /* Like libffi, integral results narrower than ffi_arg fill a whole ffi_arg. */
  switch (rkind) {
  case KIND_VOID: break;
  case KIND_I64: memcpy(rvalue, &result.i64, 8); break;
  case KIND_F32: memcpy(rvalue, &result.f32, 4); break;
  case KIND_F64: memcpy(rvalue, &result.f64, 8); break;
  default: {
    ffi_arg v = (ffi_arg)(ffi_sarg)widen_to_i32(cif->rtype, &result.i32);
    memcpy(rvalue, &v, sizeof v);
  }
  }
}
