// UI state of the snapshot views, with the api injected. The paging logic lives in
// paged-table.ts (plain TypeScript, unit-tested); these classes make it reactive.
import type { AppApi, AppEvent } from '../../src-main/common/contract';
import type {
  LeakSuspectsResult,
  RetainersResult,
  SnapshotComparePage,
  SnapshotCompareRow,
  SnapshotGroupBy,
  SnapshotInfo,
  SnapshotPage,
  SnapshotRow,
  SourceLines,
} from '../../src-main/common/domain';
import { AppError } from '../../src-main/common/contract';
import { errorMessage } from './errors';
import { PagedTable, type PageReply } from './paged-table';
import { groupKey, retainersQuery, togglePick, type GroupKey } from './snapshot-format';

export const PAGE_SIZE = 200;
const FILTER_DEBOUNCE_MS = 200;
const SCROLL_SETTLE_MS = 40;

/**
 * One load of a sequence where only the latest counts: `apply` (the fetched value), `fail`
 * (the error's message) and then `settle` run only while `isLatest()` holds.
 */
async function loadLatest<T>(
  isLatest: () => boolean,
  fetch: () => Promise<T>,
  apply: (value: T) => void,
  fail: (message: string) => void,
  settle?: () => void,
): Promise<void> {
  try {
    const value = await fetch();
    if (!isLatest()) return;
    apply(value);
  } catch (e) {
    if (isLatest()) fail(errorMessage(e));
  } finally {
    if (settle && isLatest()) settle();
  }
}

/** A PagedTable whose changes Svelte sees: read `version` to depend on the rows. */
export class ReactiveTable<Row, Reply extends PageReply<Row>> {
  version = $state(0);
  reply = $state.raw<Reply | null>(null);
  totalRows = $state(0);
  error = $state<string | null>(null);
  loading = $state(false);
  readonly table: PagedTable<Row, Reply>;

  constructor(pageSize = PAGE_SIZE) {
    this.table = new PagedTable<Row, Reply>(pageSize, () => {
      this.reply = this.table.lastReply;
      this.totalRows = this.table.totalRows;
      this.error = this.table.error;
      this.loading = this.table.loading;
      this.version++;
    });
  }

  row(index: number): Row | undefined {
    return this.table.row(index);
  }

  /** Fetches the window's pages once scrolling pauses, so dragging the scrollbar across 100k rows does not ask for every page passed. */
  ensure(first: number, last: number): void {
    clearTimeout(this.ensureTimer);
    this.ensureTimer = setTimeout(() => this.table.ensure(first, last), SCROLL_SETTLE_MS);
  }

  dispose(): void {
    clearTimeout(this.ensureTimer);
  }

  private ensureTimer: ReturnType<typeof setTimeout> | undefined;
}

/** The snapshots of one session, for the timeline marks, the pickers and the panel. */
export class SessionSnapshotsState {
  list = $state.raw<SnapshotInfo[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** Marks picked on the timeline (at most two). */
  picked = $state.raw<number[]>([]);
  private seq = 0;

  constructor(
    private readonly api: AppApi,
    readonly sessionId: number,
  ) {}

  async load(): Promise<void> {
    const seq = ++this.seq;
    await loadLatest(
      () => seq === this.seq,
      () => this.api.listSnapshots({ sessionId: this.sessionId }),
      (list) => {
        this.list = list;
        this.error = null;
      },
      (message) => (this.error = message),
      () => (this.loaded = true),
    );
  }

  handleEvent(event: AppEvent): void {
    if (event.name === 'snapshotTaken' && event.payload.sessionId === this.sessionId) {
      if (!this.list.some((s) => s.id === event.payload.id)) this.list = [...this.list, event.payload].sort((a, b) => a.seq - b.seq);
    } else if (event.name === 'runFinished' && event.payload.sessionId === this.sessionId) {
      void this.load();
    }
  }

  /** Toggles a pick; returns [base, target] when two are picked. */
  pick(id: number): [number, number] | null {
    const seqOf = (sid: number) => this.list.find((s) => s.id === sid)?.seq ?? 0;
    const r = togglePick(this.picked, id, seqOf);
    this.picked = r.pair ? [] : r.picked;
    return r.pair;
  }
}

/** Why a group's objects are alive, for the bottom pane. */
export class RetainersState {
  result = $state.raw<RetainersResult | null>(null);
  /** The group asked for, as shown in the pane's title. */
  group = $state.raw<GroupKey | null>(null);
  snapshot = $state.raw<SnapshotInfo | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** The snapshot kept no graph: the service's stored reason. */
  unavailable = $state<string | null>(null);
  private seq = 0;

  constructor(private readonly api: AppApi) {}

  async load(snapshot: SnapshotInfo, group: GroupKey): Promise<void> {
    const seq = ++this.seq;
    this.group = group;
    this.snapshot = snapshot;
    this.result = null;
    this.error = null;
    this.unavailable = null;
    if (!snapshot.graphKept) {
      this.unavailable = snapshot.graphOmitted ?? 'this snapshot did not keep its object graph';
      return;
    }
    this.loading = true;
    try {
      const result = await this.api.getRetainers({ snapshotId: snapshot.id, ...retainersQuery(group), limit: 50 });
      if (seq !== this.seq) return;
      this.result = result;
    } catch (e) {
      if (seq !== this.seq) return;
      if (e instanceof AppError && e.kind === 'unavailable') this.unavailable = e.message;
      else this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  clear(): void {
    this.seq++;
    this.group = null;
    this.result = null;
    this.error = null;
    this.unavailable = null;
    this.loading = false;
  }
}

abstract class GroupedTableState<Row extends GroupKey, Reply extends PageReply<Row>> {
  groupBy = $state<SnapshotGroupBy>('type-line');
  filter = $state('');
  selectedKey = $state<string | null>(null);
  selected = $state.raw<Row | null>(null);
  readonly rows = new ReactiveTable<Row, Reply>();
  readonly retainers: RetainersState;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(protected readonly api: AppApi) {
    this.retainers = new RetainersState(api);
  }

  protected abstract fetch(offset: number, limit: number): Promise<Reply>;

  reload(): Promise<void> {
    this.select(null);
    return this.rows.table.query((offset, limit) => this.fetch(offset, limit));
  }

  setGroupBy(groupBy: SnapshotGroupBy): void {
    this.groupBy = groupBy;
    void this.reload();
  }

  setFilter(text: string): void {
    this.filter = text;
    clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => void this.reload(), FILTER_DEBOUNCE_MS);
  }

  select(row: Row | null): void {
    this.selected = row;
    this.selectedKey = row ? groupKey(row) : null;
    if (!row) this.retainers.clear();
  }

  protected filterArg(): { filter?: string } {
    const f = this.filter.trim();
    return f ? { filter: f } : {};
  }

  dispose(): void {
    clearTimeout(this.filterTimer);
    this.rows.dispose();
  }
}

export type SnapshotSort = 'bytes' | 'count' | 'key';

export class SnapshotTableState extends GroupedTableState<SnapshotRow, SnapshotPage> {
  sort = $state<SnapshotSort>('bytes');

  constructor(
    api: AppApi,
    public snapshotId: number,
  ) {
    super(api);
  }

  protected fetch(offset: number, limit: number): Promise<SnapshotPage> {
    return this.api.getSnapshot({ snapshotId: this.snapshotId, groupBy: this.groupBy, sort: this.sort, offset, limit, ...this.filterArg() });
  }

  setSort(sort: SnapshotSort): void {
    this.sort = sort;
    void this.reload();
  }

  override select(row: SnapshotRow | null): void {
    super.select(row);
    const info = this.rows.reply?.snapshot;
    if (row && info) void this.retainers.load(info, row);
  }
}

export class CompareTableState extends GroupedTableState<SnapshotCompareRow, SnapshotComparePage> {
  constructor(
    api: AppApi,
    public baseId: number,
    public targetId: number,
  ) {
    super(api);
    this.groupBy = 'line';
  }

  protected fetch(offset: number, limit: number): Promise<SnapshotComparePage> {
    return this.api.compareSnapshots({ baseId: this.baseId, targetId: this.targetId, groupBy: this.groupBy, offset, limit, ...this.filterArg() });
  }

  /** Opens the comparison narrowed to one group (type at file:line) and selects it for its retainers. */
  async focus(group: { type: string; filename: string; line: number }): Promise<void> {
    this.groupBy = 'type-line';
    this.filter = group.type;
    await this.reload();
    for (let i = 0; i < Math.min(this.rows.totalRows, PAGE_SIZE); i++) {
      const row = this.rows.row(i);
      if (row && row.type === group.type && row.filename === group.filename && row.line === group.line) {
        this.select(row);
        return;
      }
    }
  }

  /** Retainers come from the target while the group still has objects there, else from the base. */
  override select(row: SnapshotCompareRow | null): void {
    super.select(row);
    const page = this.rows.reply;
    if (row && page) void this.retainers.load(row.count > 0 ? page.target : page.base, row);
  }
}

export class LeaksState {
  result = $state.raw<LeakSuspectsResult | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  private seq = 0;

  constructor(
    private readonly api: AppApi,
    readonly sessionId: number,
  ) {}

  async load(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    await loadLatest(
      () => seq === this.seq,
      () => this.api.getLeakSuspects({ sessionId: this.sessionId }),
      (result) => {
        this.result = result;
        this.error = null;
      },
      (message) => (this.error = message),
      () => (this.loading = false),
    );
  }
}

export class SourceState {
  source = $state<string | null>(null);
  lines = $state.raw<SourceLines | null>(null);
  error = $state<string | null>(null);
  private seq = 0;

  constructor(
    private readonly api: AppApi,
    readonly sessionId: number,
  ) {}

  async load(snapshotId: number | null, baseId: number | null): Promise<void> {
    const seq = ++this.seq;
    await loadLatest(
      () => seq === this.seq,
      () =>
        Promise.all([
          this.source === null ? this.api.getSession({ id: this.sessionId }) : Promise.resolve(null),
          this.api.getSourceLines({
            sessionId: this.sessionId,
            ...(snapshotId !== null ? { snapshotId } : {}),
            ...(baseId !== null ? { baseId } : {}),
          }),
        ]),
      ([detail, lines]) => {
        if (detail) this.source = detail.source;
        this.lines = lines;
        this.error = null;
      },
      (message) => (this.error = message),
    );
  }
}
