// The preload: exposes `window.api` (an ApiBridge over IPC) and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiBridge, ApiMethod, AppEvent, Reply } from '../common/contract';
import type { IPC_CHANNELS as Channels } from '../common/domain';

// The sandboxed preload bundles no code of ours (ESLint lets it import only types from common):
// the channel names are spelled here and the compiler holds them equal to common's IPC_CHANNELS.
const IPC_CHANNELS = { call: 'pygc-lab:call', event: 'pygc-lab:event' } as const satisfies typeof Channels;

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
