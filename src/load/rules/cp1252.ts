/**
 * Windows-1252 bytes to text (SPEC §10 `encoding windows-1252`), with Node's
 * TextDecoder. Node 20.18.3 and later decode windows-1252 as Latin-1, so
 * bytes 0x80-0x9F come out as the C1 controls U+0080-U+009F instead of
 * `€`, `‚`, `’`, `–`… (nodejs/node#56542, #60888). The decoded text is put
 * right with the WHATWG table for those 32 bytes: on a Node whose decoder is
 * right there is nothing to put right, so the result is the same on both.
 */
const decoder = new TextDecoder('windows-1252');

/** WHATWG index-windows-1252 for bytes 0x80-0x9F (five are undefined in Windows-1252 and stay C1 controls). */
const HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d,
  0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  return decoder.decode(bytes).replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(HIGH[c.charCodeAt(0) - 0x80] as number));
}
