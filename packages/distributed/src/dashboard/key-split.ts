/**
 * Dask's `key_split` (distributed 2022.12, `dask.utils.key_split`): a key's task prefix, its name
 * without token and indices. `inc-5f2a…` → `inc`, `sum-partial-3` → `sum-partial`, `('x-1', 2)` → `x`,
 * a 32-hex-digit token alone → `data`.
 */
const HEX32 = /^[a-f0-9]{32}/;
const ALPHA = /^\p{L}+$/u;
const STARTS_ALPHA = /^\p{L}/u;
const HEX_START = /^[a-f]+/;

export function keySplit(key: string): string {
  const words = key.split('-');
  // Python's words[0][0] raises on an empty first word; Dask answers 'Other'.
  if (words[0] === '') return 'Other';
  let result = STARTS_ALPHA.test(words[0]) ? words[0] : stripChars(words[0].split(',')[0], `'("`);
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    // An 8-letter word that starts like hex is taken for a short token, as Dask does.
    if (ALPHA.test(word) && !(word.length === 8 && HEX_START.test(word))) result += `-${word}`;
    else break;
  }
  if (result.length === 32 && HEX32.test(result)) return 'data';
  if (result.startsWith('<')) {
    const inner = stripChars(result, '<>').split(/\s+/)[0] ?? '';
    const parts = inner.split('.');
    return parts[parts.length - 1] || 'Other';
  }
  return result || 'Other';
}

function stripChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a])) a++;
  while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/**
 * A stable colour per prefix (the same on every page and report, whichever process computes it):
 * a hue from a string hash (FNV-1a), fixed saturation and lightness so that all read on white.
 */
export function prefixColor(prefix: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < prefix.length; i++) {
    h ^= prefix.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // FNV's last multiply leaves the low bits poorly mixed (inc and add came out 3 degrees apart):
  // murmur3's finaliser spreads them before the hue is taken.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return `hsl(${(h >>> 0) % 360}, 65%, 50%)`;
}
