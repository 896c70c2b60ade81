import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/**
 * The layers of src/, lowest first (README, Development). A module imports
 * from its own room and from lower layers only: never from a higher layer,
 * never from another room of its own layer. A room is a folder or a file (or
 * a few that count as one). Imports that only bring types count too; cycles
 * of value imports are refused everywhere (import-x/no-cycle).
 */
export const LAYERS = [
  { name: 'base', rooms: [['src/model.ts', 'src/errors.ts', 'src/sort.ts', 'src/version.ts', 'src/words.ts', 'src/money']] },
  { name: 'threads', rooms: [['src/threads']] },
  { name: 'load', rooms: [['src/load']] },
  { name: 'match', rooms: [['src/match']] },
  { name: 'trace', rooms: [['src/trace']] },
  { name: 'report', rooms: [['src/report']] },
  { name: 'write', rooms: [['src/write']] },
  { name: 'pipeline', rooms: [['src/pipeline.ts']] },
  { name: 'commands', rooms: [['src/batch.ts'], ['src/audit'], ['src/compare']] },
  { name: 'generate', rooms: [['src/generate']] },
  { name: 'cli', rooms: [['src/cli']] },
];

/** A room's short name: its folder or file without src/ and .ts (`base` for the first). */
const roomName = (room) => (room.length > 1 ? 'base' : room[0].replace(/^src\//, '').replace(/\.ts$/, ''));

/** base → threads → load | match | trace → … → cli */
export const ORDER = LAYERS.map((l) => l.rooms.map(roomName).join(' | ')).join(' → ');

/** One zone a room: it may not import the rooms of higher layers nor the other rooms of its own layer. */
function zones() {
  const out = [];
  LAYERS.forEach((layer, i) => {
    const higher = LAYERS.slice(i + 1).flatMap((l) => l.rooms.flat());
    for (const room of layer.rooms) {
      const peers = layer.rooms.filter((r) => r !== room).flat();
      out.push({
        target: room.map((p) => `./${p}`),
        from: [...higher, ...peers].map((p) => `./${p}`),
        message: `${roomName(room)} may import only from itself and the layers below it: ${ORDER}.`,
      });
    }
  });
  return out.filter((z) => z.from.length > 0);
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', TextDecoder: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Sources import './x.js' for './x.ts' (Node ESM with TypeScript).
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: zones() }],
    },
  },
);
