/**
 * Base64 for the embedded WebAssembly binary, with the functions every JavaScript runtime has
 * (btoa/atob), so that the kernels load in Deno and in a browser alike.
 *
 * @module
 */

/**
 * Bytes → base64 text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(encodeBase64(new Uint8Array([0, 97, 115, 109])), "AGFzbQ=="); // "\0asm"
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let text = "";
  // In slices: String.fromCharCode(...bytes) on a whole binary would overflow the call stack.
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return btoa(text);
}

/**
 * Base64 text → bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(decodeBase64("AGFzbQ=="), new Uint8Array([0, 97, 115, 109]));
 * ```
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
}
