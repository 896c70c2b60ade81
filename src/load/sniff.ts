/**
 * Recognises files that are not CSV text at all (an image, a spreadsheet
 * workbook, a UTF-16 export, a JSON document saved as .csv), so that the
 * user gets one message saying what the file is rather than a cascade of
 * syntax errors.
 */

interface Magic {
  readonly bytes: readonly number[];
  readonly what: string;
  /** What to do instead, when there is something better to say than "expected a CSV ledger". */
  readonly hint?: string;
}

export interface Sniffed {
  readonly what: string;
  readonly hint?: string;
}

const EXCEL_HINT = 'expected UTF-8 CSV: in Excel or LibreOffice, save the sheet as "CSV UTF-8 (comma delimited)"';

const MAGIC: readonly Magic[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an Excel .xlsx or OpenDocument .ods workbook?)', hint: EXCEL_HINT },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty ZIP archive', hint: EXCEL_HINT },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an old Excel .xls (or other Office) file', hint: EXCEL_HINT },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive (unpack it first)' },
  { bytes: [0x42, 0x5a, 0x68], what: 'a bzip2 archive (unpack it first)' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz archive (unpack it first)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: 'an SQLite database' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], what: 'UTF-32 text', hint: EXCEL_HINT },
  { bytes: [0xff, 0xfe, 0x00, 0x00], what: 'UTF-32 text', hint: EXCEL_HINT },
  { bytes: [0xff, 0xfe], what: 'UTF-16 text', hint: EXCEL_HINT },
  { bytes: [0xfe, 0xff], what: 'UTF-16 text', hint: EXCEL_HINT },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * What a file is when its first bytes say it is not UTF-8 text, e.g.
 * "a PNG image"; undefined for anything that may be text.
 */
export function sniffBytes(bytes: Uint8Array): Sniffed | undefined {
  for (const magic of MAGIC) if (startsWith(bytes, magic.bytes)) return magic;
  // UTF-16 without a BOM: ASCII text with a NUL beside every character.
  const n = Math.min(bytes.length, 512) & ~1;
  if (n >= 4) {
    let even = 0;
    let odd = 0;
    for (let i = 0; i < n; i += 2) {
      if (bytes[i] === 0 && bytes[i + 1] !== 0) even++;
      if (bytes[i + 1] === 0 && bytes[i] !== 0) odd++;
    }
    if (odd * 2 >= n / 2 || even * 2 >= n / 2) return { what: 'UTF-16 text', hint: EXCEL_HINT };
  }
  return undefined;
}

/**
 * Is this binary data rather than text with a few bad bytes? Looks at the
 * first 4 KiB: many control or non-UTF-8 bytes mean binary.
 */
export function looksBinary(bytes: Uint8Array, invalidUtf8: (offset: number) => boolean): boolean {
  const n = Math.min(bytes.length, 4096);
  if (n === 0) return false;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) odd++;
    else if (b >= 0x80 && invalidUtf8(i)) odd++;
  }
  return odd * 10 > n;
}

/**
 * What a decoded file is when its first line shows it is another kind of
 * document (JSON, HTML, XML, RTF); undefined otherwise. Such a first line
 * could never be a ledger header, so nothing valid is refused.
 */
export function sniffText(text: string): string | undefined {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{\\rtf')) return 'an RTF document';
  if (head.startsWith('{') || head.startsWith('[')) return 'a JSON document';
  if (/^<(\?xml|!doctype html|html)/i.test(head)) return /^<\?xml/i.test(head) ? 'an XML document' : 'an HTML page';
  if (head.startsWith('<')) return 'an HTML or XML document';
  return undefined;
}
