/**
 * Errors are values: every problem the tool reports carries where it happened
 * (file, line, column) and a message. They become exit codes in one place
 * (src/cli/main.ts, via `exitCodeOf`).
 */
import { byCodeUnits } from './sort.js';

/** One problem in the input, located at `file:line`. */
export interface InputIssue {
  /** The ledger file as the user named it (ledgers dir joined with the file name). */
  readonly file: string;
  /** 1-based physical line; 0 when the problem is about the file or folder as a whole. */
  readonly line: number;
  /** The ledger column involved, when there is one. */
  readonly column?: string;
  /** What is wrong, what was found and what was expected. */
  readonly message: string;
}

export type ErrorCode = 'input' | 'usage' | 'internal' | 'io' | 'interrupted';

/** The one error class of the tool; `code` decides the exit status. */
export class RoundtripError extends Error {
  readonly code: ErrorCode;
  /** The issues shown in `message` (at most MAX_REPORTED_ISSUES), in file then line order. */
  readonly issues: readonly InputIssue[];
  /** How many issues were found in all (`issues` may show only the first of them). */
  readonly total: number;

  constructor(code: ErrorCode, message: string, issues: readonly InputIssue[] = [], total: number = issues.length) {
    super(message);
    this.name = 'RoundtripError';
    this.code = code;
    this.issues = issues;
    this.total = Math.max(total, issues.length);
  }
}

/** At most this many input errors are reported, like a compiler. */
export const MAX_REPORTED_ISSUES = 50;

export function formatIssue(issue: InputIssue): string {
  return issue.line > 0 ? `${issue.file}:${issue.line}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/** Sorts issues in file then line order (stable for equal positions). */
export function sortIssues(issues: readonly InputIssue[]): InputIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((x, y) =>
      byCodeUnits(x.issue.file, y.issue.file) || x.issue.line - y.issue.line || x.index - y.index,
    )
    .map((x) => x.issue);
}

/**
 * One input error listing the first MAX_REPORTED_ISSUES issues in file then
 * line order, then a line counting the rest. `total` is how many were found
 * when `issues` holds only some of them (a collector keeps the first of each
 * file, see src/load/issues.ts); it defaults to `issues.length`.
 */
export function inputError(issues: readonly InputIssue[], total: number = issues.length): RoundtripError {
  const sorted = sortIssues(issues);
  const shown = sorted.slice(0, MAX_REPORTED_ISSUES);
  const all = Math.max(total, sorted.length);
  const lines = shown.map(formatIssue);
  const rest = all - shown.length;
  if (rest > 0) lines.push(`... and ${rest} more ${rest === 1 ? 'error' : 'errors'} (${all} in all; only the first ${MAX_REPORTED_ISSUES} are shown)`);
  return new RoundtripError('input', lines.join('\n'), shown, all);
}

export function usageError(message: string): RoundtripError {
  return new RoundtripError('usage', message);
}

export function internalError(message: string): RoundtripError {
  return new RoundtripError('internal', message);
}

/** SPEC §5: 0 done; 2 invalid input or usage; 1 internal error (including I/O faults while writing). */
export function exitCodeOf(error: unknown): number {
  if (error instanceof RoundtripError) {
    switch (error.code) {
      case 'input':
      case 'usage':
        return 2;
      case 'interrupted':
        return 130;
      default:
        return 1;
    }
  }
  return 1;
}
