/** Counting words in messages and printed tables. */

/** `1 row`, `2 rows`: a count and its noun, plural by adding `s` unless `many` is given (`1 match`, `2 matches`). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
