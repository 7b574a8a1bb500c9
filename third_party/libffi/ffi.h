/* A minimal libffi for wasm32-emscripten: Debian's libffi 3.4.4 has no wasm32
 * port, and glib's gobject needs only ffi_call for its generic signal
 * marshaller. Scalars only (no structs, no long double, no closures). */
#ifndef VIPS_EDGE_FFI_H
#define VIPS_EDGE_FFI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FFI_TYPE_VOID 0
#define FFI_TYPE_INT 1
#define FFI_TYPE_FLOAT 2
#define FFI_TYPE_DOUBLE 3
#define FFI_TYPE_UINT8 5
#define FFI_TYPE_SINT8 6
#define FFI_TYPE_UINT16 7
#define FFI_TYPE_SINT16 8
#define FFI_TYPE_UINT32 9
#define FFI_TYPE_SINT32 10
#define FFI_TYPE_UINT64 11
#define FFI_TYPE_SINT64 12
#define FFI_TYPE_POINTER 14

typedef struct _ffi_type {
  size_t size;
  unsigned short alignment;
  unsigned short type;
  struct _ffi_type **elements;
} ffi_type;

typedef enum { FFI_OK = 0, FFI_BAD_TYPEDEF, FFI_BAD_ABI, FFI_BAD_ARGTYPE } ffi_status;
typedef enum { FFI_FIRST_ABI = 0, FFI_WASM32_EMSCRIPTEN, FFI_LAST_ABI,
               FFI_DEFAULT_ABI = FFI_WASM32_EMSCRIPTEN } ffi_abi;

typedef unsigned long ffi_arg;
typedef signed long ffi_sarg;

typedef struct {
  ffi_abi abi;
  unsigned nargs;
  ffi_type **arg_types;
  ffi_type *rtype;
  unsigned bytes;
  unsigned flags;
} ffi_cif;

extern ffi_type ffi_type_void, ffi_type_uint8, ffi_type_sint8, ffi_type_uint16,
    ffi_type_sint16, ffi_type_uint32, ffi_type_sint32, ffi_type_uint64,
    ffi_type_sint64, ffi_type_float, ffi_type_double, ffi_type_pointer;

#define ffi_type_uchar ffi_type_uint8
#define ffi_type_schar ffi_type_sint8
#define ffi_type_ushort ffi_type_uint16
#define ffi_type_sshort ffi_type_sint16
#define ffi_type_uint ffi_type_uint32
#define ffi_type_sint ffi_type_sint32
#define ffi_type_ulong ffi_type_uint32
#define ffi_type_slong ffi_type_sint32

ffi_status ffi_prep_cif(ffi_cif *cif, ffi_abi abi, unsigned int nargs,
                        ffi_type *rtype, ffi_type **atypes);
void ffi_call(ffi_cif *cif, void (*fn)(void), void *rvalue, void **avalue);

#ifdef __cplusplus
}
#endif
#endif
