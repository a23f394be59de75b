// The AppApi the UI uses: Electron's preload bridge when present, else the browser twin's HTTP bridge.
import { createApi, HTTP, type ApiBridge, type AppApi } from '../../src-main/common/contract';
import { HttpBridge } from './http-bridge';

export interface Backend {
  api: AppApi;
  bridge: ApiBridge;
}

export function tokenFromDocument(doc: Document): string | null {
  return doc.querySelector(`meta[name="${HTTP.tokenMeta}"]`)?.getAttribute('content') ?? null;
}

export function connect(): Backend {
  const bridge: ApiBridge =
    window.api ?? new HttpBridge({ baseUrl: window.location.origin, token: tokenFromDocument(document) ?? '' });
  const api = createApi(bridge) satisfies AppApi;
  return { api, bridge };
}
