/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { ApiBridge } from '../src-main/common/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the browser twin. */
    api?: ApiBridge;
  }
}
export {};
