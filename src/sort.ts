/** The one text order of the tool: by UTF-16 code units (SPEC §1), never by locale. */
export function byCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
