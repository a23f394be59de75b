import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

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
  { ignores: ['out/**', 'node_modules/**', 'reports/**', 'test-results/**', 'dist/**'] },
);
