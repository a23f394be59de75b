import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Electron executable, found without requiring 'electron' (which would start a download). */
export function electronBinary(): string | undefined {
  const explicit = process.env['ELECTRON_BINARY'];
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  let dir: string;
  try {
    dir = dirname(createRequire(join(process.cwd(), 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathTxt = join(dir, 'path.txt'); // written only after a successful download
  if (!existsSync(pathTxt)) return undefined;
  const exe = join(process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(dir, 'dist'), readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? exe : undefined;
}
