/** Minimal terminal styling for `audit --format table`: bold headings, dim detail lines. */

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  warn(text: string): string;
}

export const PLAIN: Style = { bold: (s) => s, dim: (s) => s, warn: (s) => s };

export const ANSI: Style = {
  bold: (s) => `\u001b[1m${s}\u001b[22m`,
  dim: (s) => `\u001b[2m${s}\u001b[22m`,
  warn: (s) => `\u001b[33m${s}\u001b[39m`,
};

/**
 * Colour only on a terminal, and never when NO_COLOR is set to anything
 * non-empty (no-color.org).
 */
export function wantsColour(isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env.NO_COLOR;
  return isTTY === true && (noColor === undefined || noColor === '');
}
