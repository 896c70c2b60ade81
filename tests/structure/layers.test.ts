/**
 * The layer order of src/ (README, Development) is enforced by the lint step
 * (eslint.config.js: import-x/no-restricted-paths zones made from LAYERS, and
 * import-x/no-cycle). These tests show that the lint fails on an import
 * against the order and on a cycle, and that every part of src/ has a layer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the lint configuration is plain JavaScript, without types.
import { LAYERS, ORDER } from '../../eslint.config.js';

const layers = LAYERS as { name: string; rooms: string[][] }[];

async function messagesOf(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
}

describe('the layer order', () => {
  it('is the order the README shows', () => {
    expect(ORDER).toBe('base → threads → load → match → trace → report → write → pipeline → batch | audit | compare → generate → cli');
    expect(readFileSync('README.md', 'utf8')).toContain(ORDER);
  });

  it('covers every folder and file of src/', () => {
    const rooms = new Set(layers.flatMap((l) => l.rooms.flat()));
    const parts = readdirSync('src').map((name) => `src/${name}`);
    expect(parts.filter((p) => !rooms.has(p))).toEqual([]);
    expect([...rooms].filter((r) => !parts.includes(r))).toEqual([]);
  });

  it.each([
    ['a higher layer', 'src/load/violation.ts', '../report/text-table.js', 'textTable', 'load'],
    ['a later stage', 'src/load/violation.ts', '../match/match.js', 'matchTransfers', 'load'],
    ['another room of the same layer', 'src/audit/violation.ts', '../compare/compare.js', 'compareMethods', 'audit'],
  ])('fails the lint on an import from %s', async (_what, file, from, name, room) => {
    const code = `import { ${name} } from '${from}';\nexport const x = ${name};\n`;
    expect(await messagesOf(code, file)).toEqual([
      `1:${name.length + 18} import-x/no-restricted-paths: Unexpected path "${from}" imported in restricted zone. ${room} may import only from itself and the layers below it: ${ORDER}.`,
    ]);
  });

  it('fails the lint on an import cycle', async () => {
    // match/match.ts imports transfer.ts; transfer.ts importing match.ts back closes a cycle.
    const code = "import { matchTransfers } from './match.js';\nexport const m = matchTransfers;\n";
    expect(await messagesOf(code, 'src/match/transfer.ts')).toEqual(['1:1 import-x/no-cycle: Dependency cycle detected']);
  });

  it('passes the sources as they are', async () => {
    const results = await new ESLint().lintFiles(['src']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}: ${m.message}`))).toEqual([]);
  });
});
