import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';

// main: the Electron entry plus the Node-only entries (browser twin, CLI, run and analysis workers,
// benchmarks, fidelity harness, differential checker), all CommonJS in out/main so they share chunks.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src-main/electron-main/index.ts'),
          serve: resolve('src-main/node/http/serve.ts'),
          cli: resolve('src-main/node/cli/main.ts'),
          'run-worker': resolve('src-main/node/workers/run-worker.ts'),
          'analysis-worker': resolve('src-main/node/workers/analysis-worker.ts'),
          fidelity: resolve('src-main/node/fidelity/main.ts'),
          differential: resolve('src-main/node/differential/main.ts'),
          bench: resolve('bench/main.ts'),
        },
        external: ['better-sqlite3'],
      },
    },
  },
  preload: { build: { rollupOptions: { input: { index: resolve('src-main/preload/index.ts') } } } },
  renderer: {
    root: 'src-renderer',
    build: { rollupOptions: { input: { index: resolve('src-renderer/index.html') } } },
    plugins: [svelte()],
  },
});
