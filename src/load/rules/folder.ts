/**
 * SPEC §1/§10 in a ledger folder: `COMPANY.rules` makes every CSV file of
 * that company an export read through it. Pure: names in, the order to read
 * them in (each rules file just before its company's first CSV file, so the
 * rules are known when the exports come) and the problems with rules files.
 */
import type { InputIssue } from '../../errors.js';

const RULES_NAME = /^[a-z0-9][a-z0-9_-]{0,63}\.rules$/;

/** Is this directory entry a rules file candidate (`.rules` in any letter case, not hidden)? */
export function isRulesName(name: string): boolean {
  return !name.startsWith('.') && name.toLowerCase().endsWith('.rules');
}

/**
 * `ledgers`: the CSV files to read, in row order; `names`: every entry.
 * Returns the files to read with the rules files placed, and an issue for
 * each rules file that is misnamed or has no CSV file to apply to.
 */
export function placeRules(
  ledgers: readonly string[],
  names: readonly string[],
  companyOf: (name: string) => string,
  display: (name: string) => string,
): { toRead: string[]; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const rulesOf = new Map<string, string>();
  for (const name of names.filter(isRulesName).sort()) {
    if (!RULES_NAME.test(name)) {
      issues.push({
        file: display(name),
        line: 0,
        message: `rules file name is not COMPANY.rules (expected a company id, lowercase letters, digits, "-" and "_", then .rules, e.g. amazon.rules: one rules file per company)`,
      });
      continue;
    }
    const company = companyOf(name);
    if (!ledgers.some((ledger) => companyOf(ledger) === company)) {
      issues.push({
        file: display(name),
        line: 0,
        message: `rules file has no CSV file to read (expected the exports of company ${company} beside it, e.g. ${company}.2026-01.csv)`,
      });
      continue;
    }
    rulesOf.set(company, name);
  }
  const toRead: string[] = [];
  for (const name of ledgers) {
    const rules = rulesOf.get(companyOf(name));
    if (rules !== undefined) {
      toRead.push(rules);
      rulesOf.delete(companyOf(name));
    }
    toRead.push(name);
  }
  return { toRead, issues };
}
