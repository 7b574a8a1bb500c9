// The module is built with WebAssembly SIMD128 (Highway's kernels, libwebp's
// SSE paths: third_party/common.sh). A runtime without it could not even
// compile the module, and would report an opaque CompileError: say why once,
// before compiling. Every Lambda Node.js runtime (>= 18) has wasm SIMD.

/** A minimal module whose one function uses a v128 value and i8x16 ops. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Why this runtime cannot run the engine, or null when it can. */
export function missingWasmFeature(validate: (bytes: Uint8Array) => boolean = (b) => WebAssembly.validate(b)): string | null {
  return validate(SIMD_PROBE)
    ? null
    : 'this Node.js runtime has no WebAssembly SIMD, which the image engine is built with (Node.js >= 16.4 has it)';
}
