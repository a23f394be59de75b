import type { AppApi } from '../../src-main/common/contract';
import type { SessionSummary } from '../../src-main/common/domain';
import { errorMessage } from './errors';

export class SessionsState {
  sessions = $state.raw<SessionSummary[]>([]);
  search = $state('');
  loaded = $state(false);
  loading = $state(false);
  error = $state<string | null>(null);
  actionError = $state<string | null>(null);
  private requestSeq = 0;

  constructor(private readonly api: AppApi) {}

  async load(): Promise<void> {
    const seq = ++this.requestSeq;
    this.loading = true;
    try {
      const search = this.search.trim();
      const sessions = await this.api.listSessions(search ? { search } : {});
      if (seq !== this.requestSeq) return;
      this.sessions = sessions;
      this.error = null;
      this.loaded = true;
    } catch (e) {
      if (seq === this.requestSeq) this.error = errorMessage(e);
    } finally {
      if (seq === this.requestSeq) this.loading = false;
    }
  }

  async rename(id: number, name: string): Promise<boolean> {
    try {
      const updated = await this.api.renameSession({ id, name });
      this.sessions = this.sessions.map((s) => (s.id === id ? updated : s));
      this.actionError = null;
      return true;
    } catch (e) {
      this.actionError = `Could not rename: ${errorMessage(e)}`;
      return false;
    }
  }

  async remove(id: number): Promise<void> {
    try {
      await this.api.deleteSession({ id });
      this.sessions = this.sessions.filter((s) => s.id !== id);
      this.actionError = null;
    } catch (e) {
      this.actionError = `Could not delete: ${errorMessage(e)}`;
    }
  }
}
