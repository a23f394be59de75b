// Where the app keeps its data: the user's data folder, unless overridden.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DB_FILENAME = 'pygc-lab.sqlite';
const APP_FOLDER = 'pygc-lab';

export interface DataDirInput {
  /** `--data DIR` */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

export function resolveDataDir(input: DataDirInput = {}): string {
  const env = input.env ?? process.env;
  if (input.flag) return input.flag;
  if (env['PYGC_LAB_DATA']) return env['PYGC_LAB_DATA'];
  const home = input.home ?? homedir();
  switch (input.platform ?? process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_FOLDER);
    case 'win32':
      return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), APP_FOLDER);
    default:
      return join(env['XDG_DATA_HOME'] || join(home, '.local', 'share'), APP_FOLDER);
  }
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, DB_FILENAME);
}
