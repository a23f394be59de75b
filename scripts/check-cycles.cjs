#!/usr/bin/env node
// Import cycles, type-only imports included (`npm run lint` runs this after ESLint).
// ESLint's import-x/no-cycle already fails on cycles of runtime imports (and sees .svelte files);
// it skips `import type`, so a module pair that only knows each other's types (a facade and the
// class behind it) passes it. This check uses dpdm with type imports kept, so any cycle fails.
// A cycle lying wholly under a path of KNOWN is printed as a warning instead, until its owner
// removes it; keep that list short and name why each entry is there.
const { parseDependencyTree, parseCircular } = require('dpdm');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const ENTRIES = ['src-main/**/*.ts', 'src-renderer/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts'];
/** path prefix → why a cycle wholly inside it is only a warning for now */
const KNOWN = {};

async function main() {
  const tree = await parseDependencyTree(ENTRIES, {
    context: root,
    cwd: root,
    transform: false, // keep type-only imports
    skipDynamicImports: false,
    tsconfig: path.join(root, 'tsconfig.node.json'),
  });
  const ours = (f) => !f.includes('node_modules');
  const files = Object.keys(tree).filter(ours);
  const cycles = parseCircular(tree).filter((c) => c.every(ours));
  let errors = 0;
  for (const cycle of cycles) {
    const shown = [...cycle, cycle[0]].map((f) => path.relative(root, path.resolve(root, f))).join(' -> ');
    const known = Object.keys(KNOWN).find((p) => cycle.every((f) => path.relative(root, path.resolve(root, f)).startsWith(p)));
    if (known) console.warn(`warning: import cycle ${shown} (${KNOWN[known]})`);
    else {
      console.error(`error: import cycle ${shown}`);
      errors++;
    }
  }
  console.log(`import cycles: ${files.length} files, ${cycles.length} cycle(s), ${errors} error(s)`);
  process.exitCode = errors ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
