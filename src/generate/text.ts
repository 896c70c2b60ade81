/**
 * The CSV text of a generated set: file names, the header, each ledger line
 * written into its company's file buffer (SPEC §1 format), and the buffers
 * handed out in chunks of bounded size.
 */
import { byCodeUnits } from '../sort.js';
import type { Company, FileState, LedgerLine } from './shapes.js';

export const LEDGER_HEADER = 'id,date,direction,counterparty,kind,category,amount,currency,ref,deal,memo';
/** The first day of every generated set; transfers spread over about two years. */
export const START_DATE = '2025-01-01';
export const START_MS = Date.UTC(2025, 0, 1);
export const DAY = 86_400;
const CURRENCY = 'USD';

/** Text to append to `file` (chunks of one file arrive in order). */
export interface GeneratedChunk {
  readonly file: string;
  readonly text: string;
}

/** Company ids of a set: `co001`, `co002`… (at least three digits, so every id has 5+ characters). */
export function companyIds(count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `co${String(i + 1).padStart(width, '0')}`);
}

/** Companies whose ledger comes in two files (`co003.part1.csv`, `co003.part2.csv`). */
export function isSplit(index: number): boolean {
  return index % 4 === 2;
}

/** The file names of a set, sorted. */
export function ledgerFileNames(companies: number): string[] {
  const names: string[] = [];
  companyIds(companies).forEach((id, index) => {
    if (isSplit(index)) names.push(`${id}.part1.csv`, `${id}.part2.csv`);
    else names.push(`${id}.csv`);
  });
  return names.sort(byCodeUnits);
}

/** A company's files, each starting with the header (some with a BOM, some with CRLF line ends). */
export function companyFiles(id: string, index: number): { files: FileState[]; eol: string } {
  const bom = index % 7 === 5 ? '\uFEFF' : '';
  const eol = index % 5 === 4 ? '\r\n' : '\n';
  const names = isSplit(index) ? [`${id}.part1.csv`, `${id}.part2.csv`] : [`${id}.csv`];
  return { files: names.map((name) => ({ name, buffer: `${bom}${LEDGER_HEADER}${eol}` })), eol };
}

/** Writes ledger lines into the companies' file buffers and hands out full buffers as chunks. */
export class LedgerText {
  readonly ready: GeneratedChunk[] = [];
  /** Data rows written. */
  rows = 0;
  private readonly dayCache: string[] = [];

  /** `cutoff`: split companies' part1 holds lines before it; `chunkSize`: a buffer this long is handed out. */
  constructor(
    private readonly cutoff: number,
    private readonly chunkSize: number,
  ) {}

  write(company: Company, row: LedgerLine): void {
    const file = (company.files.length > 1 && row.time >= this.cutoff ? company.files[1] : company.files[0]) as FileState;
    company.rowSeq++;
    this.rows++;
    file.buffer +=
      `JE${String(company.rowSeq).padStart(7, '0')},${this.formatTime(row.time, row.dateOnly)},${row.direction},` +
      `${csvField(row.counterparty)},${row.kind},${row.category},${typeof row.amount === 'string' ? row.amount : formatCents(row.amount)},${CURRENCY},` +
      `${row.ref},${row.deal},${csvField(row.memo)}${company.eol}`;
    if (file.buffer.length >= this.chunkSize) {
      this.ready.push({ file: file.name, text: file.buffer });
      file.buffer = '';
    }
  }

  formatTime(time: number, dateOnly: boolean): string {
    const day = Math.floor(time / DAY);
    let date = this.dayCache[day];
    if (date === undefined) {
      date = new Date(START_MS + day * DAY * 1000).toISOString().slice(0, 10);
      this.dayCache[day] = date;
    }
    if (dateOnly) return date;
    const seconds = time - day * DAY;
    const hh = Math.floor(seconds / 3600);
    const mm = Math.floor((seconds % 3600) / 60);
    const ss = seconds % 60;
    return `${date}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
  }

  /** Hands out every buffer left, files in name order. */
  finish(companies: readonly Company[]): void {
    const files = companies.flatMap((c) => c.files).sort((x, y) => byCodeUnits(x.name, y.name));
    for (const file of files) {
      if (file.buffer.length > 0) this.ready.push({ file: file.name, text: file.buffer });
      file.buffer = '';
    }
  }
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function formatCents(cents: number): string {
  const units = Math.floor(cents / 100);
  return `${units}.${pad2(cents - units * 100)}`;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
