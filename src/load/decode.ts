/**
 * Bytes to text, strictly: a NUL byte or invalid UTF-8 is an input error
 * naming its line (Node would otherwise decode it silently).
 */
import type { InputIssue } from '../errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type Decoded = { ok: true; text: string } | { ok: false; issue: InputIssue };

export function decodeLedger(bytes: Uint8Array, file: string): Decoded {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return {
      ok: false,
      issue: {
        file,
        line: lineAt(bytes, nul),
        message: `contains a NUL byte at byte ${nul + 1} (expected UTF-8 CSV text; is this a binary or UTF-16 file? Export it as CSV UTF-8)`,
      },
    };
  }
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const shown = Array.from(bytes.subarray(at, Math.min(at + 4, bytes.length)), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return {
      ok: false,
      issue: {
        file,
        line: lineAt(bytes, at),
        message: `is not valid UTF-8: bytes ${shown} at byte ${at + 1} (expected UTF-8; re-export the file as CSV UTF-8, not Latin-1 or Windows-1252)`,
      },
    };
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let j = 1; j <= need; j++) {
      const c = bytes[i + j];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return n;
}
