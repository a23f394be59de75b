// The preload: exposes `window.api` (an ApiBridge over IPC) and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiBridge, ApiMethod, AppEvent, Reply } from '../common/contract';
import { IPC_CHANNELS } from '../common/domain';

const bridge: ApiBridge = {
  call: (method: ApiMethod, args: unknown) => ipcRenderer.invoke(IPC_CHANNELS.call, method, args) as Promise<Reply<unknown>>,
  onEvent(listener: (event: AppEvent) => void) {
    const handler = (_e: IpcRendererEvent, event: AppEvent) => listener(event);
    ipcRenderer.on(IPC_CHANNELS.event, handler);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNELS.event, handler);
    };
  },
};

contextBridge.exposeInMainWorld('api', bridge);
