/**
 * SMS length accounting (GSM 03.38 / 3GPP TS 23.038) and GSM-7 transliteration.
 * An SMS costs one segment per part, and a single character outside GSM-7 switches the whole
 * message to UCS-2 (70 instead of 160 characters), so texts are kept GSM-7 on purpose.
 */

/** Default alphabet, one septet each. ESC (0x1B) is left out: it only introduces the extension table. */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Extension table: sent as ESC + character, so 2 septets each. */
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

const isGsm7 = (c: string) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c);

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2';
  units: number; // septets (GSM-7) or UTF-16 code units (UCS-2)
  segments: number;
}

export function smsSegments(text: string): SmsSize {
  const chars = [...text]; // code points, so a surrogate pair stays one item
  const gsm = chars.every(isGsm7);
  const sizes = chars.map((c) => (gsm ? (GSM7_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((a, b) => a + b, 0);
  const [single, part] = gsm ? [160, 153] : [70, 67]; // a concatenated part loses 7 bytes to its UDH
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', units, segments: units <= single ? 1 : pack(sizes, part) };
}

/** Greedy split as senders do it: an escape pair or a surrogate pair is never cut across two parts. */
function pack(sizes: number[], capacity: number): number {
  let parts = 1;
  let used = 0;
  for (const s of sizes) {
    if (used + s > capacity) {
      parts++;
      used = 0;
    }
    used += s;
  }
  return parts;
}

/** French typography and accents that GSM-7 lacks, spelled the way a French reader expects. */
const REPLACEMENTS: Record<string, string> = {
  ê: 'e', â: 'a', î: 'i', ô: 'o', û: 'u', ë: 'e', ï: 'i', ÿ: 'y', ç: 'c', œ: 'oe', Œ: 'OE',
  '’': "'", '‘': "'", '‚': "'", '`': "'", '´': "'",
  '“': '"', '”': '"', '„': '"', '«': '"', '»': '"',
  '–': '-', '—': '-', '‐': '-', '‑': '-', '−': '-', '…': '...', '\t': ' ',
};
/** Non-breaking, narrow and other typographic spaces (French puts them before : ; ! ? and inside « »). */
const SPACE_LIKE = /^[\u00a0\u2000-\u200a\u202f\u205f\u3000]$/u;
/** Invisible characters (zero-width, BOM, emoji variation selectors) and stray combining marks: dropped. */
const INVISIBLE = /^[\u200b-\u200d\u2060\ufeff\ufe00-\ufe0f\p{M}]$/u;

/** Rewrites `text` into GSM-7 only, keeping characters GSM-7 already has (é, è, à, Ç …); `?` for what has no close spelling. */
export function toGsm7(text: string): string {
  let out = '';
  for (const c of text.normalize('NFC')) {
    if (isGsm7(c)) out += c;
    else if (c in REPLACEMENTS) out += REPLACEMENTS[c];
    else if (SPACE_LIKE.test(c)) out += ' ';
    else if (INVISIBLE.test(c)) continue;
    else {
      const bare = c.normalize('NFD').replace(/\p{M}/gu, '');
      out += bare && [...bare].every(isGsm7) ? bare : '?';
    }
  }
  return out;
}
