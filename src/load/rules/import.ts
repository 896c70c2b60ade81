/**
 * `roundtrip import` (SPEC §5, §10), the pure part: exports read through a
 * rules file into the rows of one §1 ledger, in input order (the exports in
 * the order given, each in line order). Every row is checked as a ledger
 * row is (SPEC §1, ids and refs unique within the company); any problem,
 * and every problem is listed, throws one input error.
 */
import { inputError, type InputIssue } from '../../errors.js';
import { IssueList } from '../issues.js';
import { lengthOf, MAX_ID_LENGTH, show, type RowContext } from '../row.js';
import { checkExportRow, IN_ORDER, readExport } from './apply.js';
import { decodeRules, parseRules } from './parse.js';

export interface ImportFile {
  /** The file's name (no folder): the default id is NAME:LINE. */
  readonly name: string;
  /** The path as the user gave it, for messages. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** The §1 values of every row, in COLUMNS order; throws an input error listing every problem. */
export function importExports(rulesFile: ImportFile, exports: readonly ImportFile[], company: string): string[][] {
  const decoded = decodeRules(rulesFile.bytes, rulesFile.path);
  const parsed = decoded.ok ? parseRules(decoded.text, rulesFile.path) : decoded;
  if (!parsed.ok) throw inputError(parsed.issues);
  const { rules } = parsed;
  const lists: IssueList[] = [];
  const rows: string[][] = [];
  const ids = new Map<string, string>();
  const refs = new Map<string, string>();
  for (const file of exports) {
    const list = new IssueList();
    lists.push(list);
    const context: RowContext = { file: file.path, fileName: file.name, company, companies: new Set(), columns: IN_ORDER, reported: new Set() };
    readExport(file.bytes, file.name, file.path, rules, list, (record) => {
      const issues: InputIssue[] = [];
      const row = checkExportRow(record, context, rules, issues);
      const here = `${file.path}:${record.line}`;
      // Across rows, as the loader checks a company's files (same messages).
      const [id, , direction, counterparty, , , , , ref] = record.values as string[];
      if (id !== undefined && id !== '' && lengthOf(id) <= MAX_ID_LENGTH) {
        const earlier = ids.get(id);
        if (earlier === undefined) ids.set(id, here);
        else issues.push({ file: file.path, line: record.line, column: 'id', message: `id ${show(id)} is already used at ${earlier} (expected ids unique within company ${company}, across its files)` });
      }
      if (ref !== undefined && ref !== '' && counterparty !== '' && (direction === 'in' || direction === 'out')) {
        const key = JSON.stringify([direction, counterparty, ref]);
        const earlier = refs.get(key);
        if (earlier === undefined) refs.set(key, here);
        else {
          issues.push({
            file: file.path,
            line: record.line,
            column: 'ref',
            message: `ref ${show(ref)} is already used at ${earlier} with the same counterparty ${show(counterparty as string)} and direction ${direction} (expected a ref unique per counterparty and direction: a ref names one transfer)`,
          });
        }
      }
      if (issues.length > 0) list.addAll(issues);
      else if (row !== undefined) rows.push([...record.values]);
    });
  }
  const total = lists.reduce((n, list) => n + list.total, 0);
  if (total > 0) throw inputError(lists.flatMap((list) => list.issues), total);
  return rows;
}
