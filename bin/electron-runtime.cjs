// Can Electron run here? Decided WITHOUT require('electron'): on a machine without the
// binary that require starts a download and throws.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/**
 * @param {{ appRoot: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform }} o
 * @returns {{ binary: string } | { reason: string }}
 */
function electronRuntime(o) {
  const env = o.env || process.env;
  const platform = o.platform || process.platform;
  let binary;
  const explicit = env.ELECTRON_BINARY;
  if (explicit) {
    if (!existsSync(explicit)) return { reason: `ELECTRON_BINARY (${explicit}) does not exist` };
    binary = explicit;
  } else {
    let dir;
    try {
      dir = dirname(require.resolve('electron/package.json', { paths: [o.appRoot] }));
    } catch {
      return { reason: 'the electron package is not installed' };
    }
    const pathTxt = join(dir, 'path.txt'); // written only after the binary was downloaded
    if (!existsSync(pathTxt)) return { reason: 'the Electron runtime is not downloaded (run `npx install-electron` once)' };
    binary = join(env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), readFileSync(pathTxt, 'utf8').trim());
    if (!existsSync(binary)) return { reason: `the Electron binary is missing (${binary})` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { binary };
}

module.exports = { electronRuntime };
