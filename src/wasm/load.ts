/**
 * Compiles a WebAssembly module shipped as base64 (the generated kernels.ts / gemm.ts), once per
 * caller: null where WebAssembly or its SIMD instructions are unavailable, and the callers fall
 * back to plain loops. The one loader of the package's kernels.
 */
export function compileWasm(base64: string): WebAssembly.Module | null {
  try {
    const bin = atob(base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new WebAssembly.Module(bytes);
  } catch {
    return null; // no WebAssembly SIMD here
  }
}
