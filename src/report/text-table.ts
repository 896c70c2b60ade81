/** Plain-text tables for the terminal (free text, SPEC §7): aligned, amounts right-aligned. Used by the commands (cli/) and the audit listing (audit/). */

/** 1234567.89 → 1,234,567.89 (for reading only; reports keep plain decimals). */
export function withThousands(amount: string): string {
  const negative = amount.startsWith('-');
  const body = negative ? amount.slice(1) : amount;
  const dot = body.indexOf('.');
  const whole = dot < 0 ? body : body.slice(0, dot);
  const rest = dot < 0 ? '' : body.slice(dot);
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${rest}`;
}

export interface TextColumn {
  readonly title: string;
  readonly align: 'left' | 'right';
}

/** Characters a terminal shows as one cell each (escape sequences excluded). */
function width(text: string): number {
  // eslint-disable-next-line no-control-regex
  return Array.from(text.replace(/\u001b\[[0-9;]*m/g, '')).length;
}

export function textTable(columns: readonly TextColumn[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(width(c.title), ...rows.map((r) => width(r[i] ?? ''))));
  const cell = (text: string, i: number): string => {
    const pad = ' '.repeat((widths[i] as number) - width(text));
    return (columns[i] as TextColumn).align === 'right' ? pad + text : text + pad;
  };
  const line = (cells: readonly string[]): string => cells.map((c, i) => cell(c, i)).join('  ').trimEnd();
  const out = [line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) out.push(line(r));
  return `${out.join('\n')}\n`;
}
