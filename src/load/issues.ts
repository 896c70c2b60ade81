/**
 * Collects the input issues of one file. Issues arrive in line order (the
 * parser and the row rules walk the file once); only the first
 * MAX_REPORTED_ISSUES are kept, the rest are counted, so a broken file of a
 * million rows costs no memory and still gets an exact count.
 */
import { MAX_REPORTED_ISSUES, type InputIssue } from '../errors.js';

export class IssueList {
  private readonly kept: InputIssue[] = [];
  private count = 0;

  add(issue: InputIssue): void {
    this.count++;
    if (this.kept.length < MAX_REPORTED_ISSUES) this.kept.push(issue);
  }

  addAll(issues: readonly InputIssue[]): void {
    for (const issue of issues) this.add(issue);
  }

  get total(): number {
    return this.count;
  }

  get issues(): readonly InputIssue[] {
    return this.kept;
  }
}
