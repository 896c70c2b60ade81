/**
 * A minimal reader for the first sheet of a flat ODF spreadsheet (.fods), as
 * LibreOffice writes it: enough to see each cell's type, value, formula and
 * text. Not a general XML parser; LibreOffice's output is regular.
 */

export interface SheetCell {
  /** office:value-type: float, string, date, time, percentage, currency, boolean, or '' for an empty cell. */
  readonly type: string;
  /** office:value (numbers), office:date-value (dates), office:boolean-value, else ''. */
  readonly value: string;
  /** table:formula, '' when the cell holds no formula. */
  readonly formula: string;
  /** The displayed text: paragraphs joined by LF, spaces, tabs and line breaks expanded. */
  readonly text: string;
}

const EMPTY: SheetCell = { type: '', value: '', formula: '', text: '' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

function attributes(tag: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of tag.matchAll(/([\w.:-]+)="([^"]*)"/g)) map.set(m[1] as string, decodeEntities(m[2] as string));
  return map;
}

/** The text of one <text:p> body. */
function paragraphText(xml: string): string {
  const expanded = xml
    .replace(/<text:s\s*\/>/g, ' ')
    .replace(/<text:s\s+text:c="(\d+)"\s*\/>/g, (_, c: string) => ' '.repeat(Number(c)))
    .replace(/<text:tab\s*\/>/g, '\t')
    .replace(/<text:line-break\s*\/>/g, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(expanded);
}

function cellText(body: string): string {
  const paragraphs: string[] = [];
  for (const m of body.matchAll(/<text:p\b[^>]*?(?:\/>|>([\s\S]*?)<\/text:p>)/g)) paragraphs.push(paragraphText(m[1] ?? ''));
  return paragraphs.join('\n');
}

/** The cells of the first sheet, row by row, repeated rows and cells expanded, trailing empty cells and rows dropped. */
export function readFirstSheet(xml: string): SheetCell[][] {
  const start = xml.indexOf('<table:table ');
  const end = xml.indexOf('</table:table>', start);
  if (start < 0 || end < 0) throw new Error('no sheet in the document');
  const sheet = xml.slice(start, end);
  const rows: SheetCell[][] = [];
  for (const r of sheet.matchAll(/<table:table-row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-row>)/g)) {
    const rowAttrs = attributes(r[1] ?? '');
    const cells: SheetCell[] = [];
    for (const c of (r[2] ?? '').matchAll(/<table:(table-cell|covered-table-cell)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:\1>)/g)) {
      const a = attributes(c[2] ?? '');
      const type = a.get('office:value-type') ?? '';
      const cell: SheetCell =
        type === '' && !a.has('table:formula')
          ? EMPTY
          : {
              type,
              value: a.get('office:value') ?? a.get('office:date-value') ?? a.get('office:time-value') ?? a.get('office:boolean-value') ?? '',
              formula: a.get('table:formula') ?? '',
              text: cellText(c[3] ?? ''),
            };
      const repeat = Number(a.get('table:number-columns-repeated') ?? '1');
      for (let k = 0; k < repeat && cells.length < 1024; k++) cells.push(cell);
    }
    while (cells.length > 0 && cells[cells.length - 1] === EMPTY) cells.pop();
    const repeat = Number(rowAttrs.get('table:number-rows-repeated') ?? '1');
    for (let k = 0; k < repeat && (cells.length > 0 || k === 0); k++) rows.push(cells);
  }
  while (rows.length > 0 && (rows[rows.length - 1] as SheetCell[]).length === 0) rows.pop();
  return rows;
}

/** Does the document hold a formula anywhere (any sheet, any cell)? */
export function formulasIn(xml: string): string[] {
  return [...xml.matchAll(/table:formula="([^"]*)"/g)].map((m) => decodeEntities(m[1] as string));
}
