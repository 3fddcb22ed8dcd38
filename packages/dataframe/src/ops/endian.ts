/** Whether typed arrays are little-endian here: the byte-level readers of float64 bits assume it. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
