// The service over Electron IPC: one invoke channel for calls, one push channel for events.
// Every call's sender frame is checked; arguments are parsed by the service's schemas.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { AppApi, AppEvent, Reply } from '../common/contract';
import { IPC_CHANNELS } from '../common/domain';
import { dispatch, type Service } from '../node/service';
import { isAppUrl } from './security';

export type CallHandler = (senderUrl: string | undefined, method: unknown, args: unknown) => Promise<Reply<unknown>>;

export function createCallHandler(service: AppApi, devOrigin?: string): CallHandler {
  return async (senderUrl, method, args) => {
    if (!isAppUrl(senderUrl, devOrigin)) {
      return { ok: false, error: { kind: 'invalid-argument', message: 'calls are accepted only from the PyGC Lab window', field: 'sender' } };
    }
    return dispatch(service, method, args);
  };
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, handler: CallHandler): void {
  ipcMain.handle(IPC_CHANNELS.call, (event: IpcMainInvokeEvent, method: unknown, args: unknown) =>
    handler(event.senderFrame?.url, method, args),
  );
}

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, event: AppEvent): void;
  getURL(): string;
}

/** Pushes every service event to the windows showing our page. */
export function forwardEvents(
  service: Pick<Service, 'onEvent'>,
  targets: () => EventTarget[],
  devOrigin?: string,
): () => void {
  return service.onEvent((event) => {
    for (const t of targets()) if (!t.isDestroyed() && isAppUrl(t.getURL(), devOrigin)) t.send(IPC_CHANNELS.event, event);
  });
}
