#!/usr/bin/env node
// The `pygc-lab` command: runs the built CLI (npm run build makes out/main/cli.js).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('pygc-lab: the app is not built yet; run `npm run build` in the project folder first.\n');
  process.exit(2);
}
require(cli);
