import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

// The import table of ARCHITECTURE.md: who may import whom.
const nodeOnly = ['node:*', 'fs', 'path', 'os', 'worker_threads', 'better-sqlite3', 'electron'];
const engine = {
  patterns: [
    { group: nodeOnly, message: 'the engine is pure: no Node, Electron or database' },
    { group: ['**/node/**', '**/electron-main/**', '**/preload/**', '**/python/**'], message: 'sim imports only common' },
  ],
};
const frontEnd = {
  patterns: [
    { group: nodeOnly, message: 'the Python front end is pure: no Node, Electron or database' },
    { group: ['**/node/**', '**/electron-main/**', '**/preload/**'], message: 'python imports only sim and common' },
  ],
};
const common = {
  patterns: [
    { group: nodeOnly, message: 'common is shared with the renderer' },
    { group: ['**/sim/**', '**/python/**', '**/node/**', '**/electron-main/**', '**/preload/**'], message: 'common imports nothing of ours' },
  ],
};
const node = { patterns: [{ group: ['electron', '**/electron-main/**', '**/preload/**'], message: 'node code never imports Electron' }] };
// electron-main: our node/ layer, common, Electron and Node's built-ins (never the engine or the
// front end directly, never the database driver: those are node/'s business).
const electronMain = {
  patterns: [
    { group: ['better-sqlite3'], message: 'electron-main reaches the database only through node/' },
    { group: ['**/sim/**', '**/python/**', '**/preload/**', '**/src-renderer/**'], message: 'electron-main imports only node, common and electron' },
  ],
};
// preload: Electron, and only types from common (the sandboxed preload bundles no code of ours).
const preload = {
  patterns: [
    { group: nodeOnly.filter((m) => m !== 'electron'), message: 'the sandboxed preload has no Node: only electron' },
    { group: ['**/common/**'], allowTypeImports: true, message: 'the preload imports only types from common' },
    { group: ['**/sim/**', '**/python/**', '**/node/**', '**/electron-main/**', '**/src-renderer/**'], message: 'the preload imports only electron and common types' },
  ],
};
const renderer = {
  patterns: [
    { group: nodeOnly, message: 'the renderer runs in a browser' },
    { group: ['**/src-main/sim/**', '**/src-main/python/**', '**/src-main/node/**', '**/src-main/electron-main/**', '**/src-main/preload/**'], message: 'the renderer imports only src-main/common' },
  ],
};

export default tseslint.config(
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  { files: ['src-main/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', 'bin/**/*.cjs', 'scripts/**/*.cjs', '*.config.*'], languageOptions: { globals: globals.node } },
  { files: ['src-renderer/**/*.{ts,svelte}'], languageOptions: { globals: globals.browser } },
  { files: ['**/*.svelte', '**/*.svelte.ts'], languageOptions: { parserOptions: { parser: tseslint.parser } } },
  { files: ['bin/**/*.cjs', 'scripts/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['src-main/sim/**/*.ts'], rules: { 'no-restricted-imports': ['error', engine] } },
  { files: ['src-main/python/**/*.ts'], rules: { 'no-restricted-imports': ['error', frontEnd] } },
  { files: ['src-main/common/**/*.ts'], rules: { 'no-restricted-imports': ['error', common] } },
  { files: ['src-main/node/**/*.ts'], rules: { 'no-restricted-imports': ['error', node] } },
  { files: ['src-renderer/**/*.{ts,svelte}'], rules: { 'no-restricted-imports': ['error', renderer] } },
  { files: ['src-main/electron-main/**/*.ts'], rules: { 'no-restricted-imports': ['error', electronMain] } },
  // Tests of the preload run under Node with electron mocked; the layer rule is for what ships.
  { files: ['src-main/preload/**/*.ts'], ignores: ['**/*.test.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', preload] } },
  // No import cycles anywhere in our code (import-x resolves ./x to x.ts, x.svelte.ts or x/index.ts).
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,svelte}', 'bench/**/*.ts', 'e2e/**/*.ts'],
    plugins: { 'import-x': importX },
    // import-x parses each imported file with the importer's parser options: a .ts file that
    // imports a .svelte one must hand svelte-eslint-parser the TypeScript parser for its script.
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.svelte.ts', '.svelte', '.mjs', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.svelte', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'], 'svelte-eslint-parser': ['.svelte'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  { ignores: ['out/**', 'node_modules/**', 'reports/**', 'test-results/**', 'dist/**'] },
);
