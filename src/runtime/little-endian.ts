/**
 * Whether this platform stores multi-byte numbers low byte first (every platform we run on does):
 * code that reads or writes words over byte arrays (sha256.ts, the CLI's PNG decoder) orders its
 * bytes by it.
 */
export const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
