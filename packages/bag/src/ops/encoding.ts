/**
 * Text encodings: Node's own (utf8, latin1, utf16le, ascii, base64 …) through Buffer, and every
 * other encoding iconv-lite knows (cp1252, shift_jis, utf-16 with its BOM, koi8-r, gb18030 …).
 */
import iconv from 'iconv-lite';

/** Whether `encoding` is one Node or iconv-lite can decode. */
export function isKnownEncoding(encoding: string): boolean {
  return Buffer.isEncoding(encoding) || iconv.encodingExists(encoding);
}

export function decodeText(bytes: Buffer, encoding: string): string {
  return Buffer.isEncoding(encoding) ? bytes.toString(encoding) : iconv.decode(bytes, encoding);
}

export function encodeText(text: string, encoding: string): Buffer {
  return Buffer.isEncoding(encoding) ? Buffer.from(text, encoding) : iconv.encode(text, encoding, { addBOM: false });
}

/**
 * Whether `delimiter` is encoded as its UTF-8 bytes (ASCII-compatible encodings): then a byte
 * search finds only real delimiters, and files can be cut into blocks. In UTF-16 or UTF-32 the
 * bytes of '\n' can straddle two other characters.
 */
export function delimiterIsAsciiBytes(delimiter: string, encoding: string): boolean {
  return /^[\x00-\x7f]+$/.test(delimiter) && encodeText(delimiter, encoding).equals(Buffer.from(delimiter, 'utf8'));
}
