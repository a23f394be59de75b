// Electron's main process (out/main/index.js): the hardened window over app://, the service
// behind IPC, runs in worker threads.
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { resolve } from 'node:path';
import { openApp, type OpenApp } from '../node/app';
import { resolveDataDir } from '../node/db/paths';
import { CONTENT_SECURITY_POLICY } from '../node/http/security';
import { defaultScenariosDir } from '../node/scenarios';
import { workerLauncher } from '../node/workers/launcher';
import { createCallHandler, forwardEvents, registerIpc } from './ipc';
import { APP_ENTRY_URL, APP_SCHEME, appProtocolHandler, isAppUrl, WEB_PREFERENCES } from './security';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();

const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const devOrigin = devUrl ? new URL(devUrl).origin : undefined;
let opened: OpenApp | null = null;

function dataFlag(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--data');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--data='))?.slice('--data='.length);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'PyGC Lab',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: resolve(__dirname, '../preload/index.js') },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devUrl ?? APP_ENTRY_URL);
  return win;
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.whenReady().then(async () => {
    protocol.handle(APP_SCHEME, appProtocolHandler(resolve(__dirname, '../renderer')));
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    // app:// responses carry the CSP themselves; this covers anything else the window loads.
    // (The dev server's hot reload needs its own looser policy, from its index.html.)
    if (!devUrl) {
      session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
      });
    }

    try {
      opened = await openApp({
        dataDir: resolveDataDir({ flag: dataFlag(process.argv) }),
        scenariosDir: defaultScenariosDir(__dirname),
        launcher: workerLauncher(resolve(__dirname, 'run-worker.js')),
        analysisWorkerFile: resolve(__dirname, 'analysis-worker.js'),
        desktop: true,
      });
    } catch (e) {
      dialog.showErrorBox('PyGC Lab cannot start', e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    registerIpc(ipcMain, createCallHandler(opened.service, devOrigin));
    forwardEvents(opened.service, () => BrowserWindow.getAllWindows().map((w) => ({
      isDestroyed: () => w.isDestroyed() || w.webContents.isDestroyed(),
      send: (channel, event) => w.webContents.send(channel, event),
      getURL: () => w.webContents.getURL(),
    })), devOrigin);

    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let closing = false;
  app.on('before-quit', (event) => {
    if (!opened || closing) return;
    closing = true;
    event.preventDefault();
    void opened.close().finally(() => {
      opened = null;
      app.quit();
    });
  });
}
