// The `app` fixture: a fresh data dir per test and the UI on top of it, either Debian Chromium
// against the browser twin (project `web`) or the desktop app (project `electron`).
import { test as base, expect, _electron, type ElectronApplication, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from './electron-binary';
import { startTwin, type Twin } from './twin';

export interface AppHost {
  page: Page;
  dataDir: string;
  /** Stops the backend and starts it again on the same data dir, then reloads the UI. */
  restart(): Promise<void>;
  /** Saves a screenshot under reports/ (prefixed by the project name unless it is `web`). */
  screenshot(name: string): Promise<string>;
}

const REPORTS = join(process.cwd(), 'reports');

export const test = base.extend<{ app: AppHost }>({
  app: async ({ playwright, launchOptions, viewport }, use, testInfo) => {
    const project = testInfo.project.name;
    const dataDir = mkdtempSync(join(tmpdir(), 'pygc-e2e-'));
    mkdirSync(REPORTS, { recursive: true });
    const screenshot = async (page: Page, name: string) => {
      const path = join(REPORTS, project === 'web' ? `${name}.png` : `${project}-${name}.png`);
      await page.screenshot({ path });
      return path;
    };

    if (project === 'electron') {
      const bin = electronBinary();
      testInfo.skip(!bin, 'no Electron binary on this machine');
      const launch = () =>
        _electron.launch({
          executablePath: bin!,
          args: ['.', '--no-sandbox', '--data', dataDir],
          env: { ...process.env, PYGC_LAB_DATA: dataDir } as Record<string, string>,
        });
      let electronApp: ElectronApplication = await launch();
      const host: AppHost = {
        page: await electronApp.firstWindow(),
        dataDir,
        async restart() {
          await electronApp.close();
          electronApp = await launch();
          host.page = await electronApp.firstWindow();
        },
        screenshot: (name) => screenshot(host.page, name),
      };
      await use(host);
      await electronApp.close();
    } else {
      let twin: Twin = await startTwin(dataDir);
      // Launched here rather than through the `browser` fixture, so the electron project never starts a browser.
      const browser = await playwright.chromium.launch(launchOptions);
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') pageErrors.push(m.text());
      });
      await page.goto(twin.url);
      const host: AppHost = {
        page,
        dataDir,
        async restart() {
          await twin.stop();
          twin = await startTwin(dataDir);
          // The token and port change with every start: load the new address.
          await page.goto(twin.url);
        },
        screenshot: (name) => screenshot(page, name),
      };
      try {
        await use(host);
        // A CSP violation or an uncaught exception in the renderer fails the test.
        expect(pageErrors.filter((e) => !/ERR_CONNECTION_REFUSED|EventSource/.test(e)), 'renderer errors').toEqual([]);
      } finally {
        await context.close();
        await browser.close();
        await twin.stop();
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
