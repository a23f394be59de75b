// Page objects of the snapshot views: the Session view's Snapshots and Leak suspects panels,
// Snapshot, Comparison, Retainers and Source.
import { expect, type Locator, type Page } from '@playwright/test';

export class SnapshotsPanel {
  readonly root: Locator;
  readonly count: Locator;
  readonly compareFirstLast: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('snapshots-panel');
    this.count = this.root.getByTestId('snapshot-count');
    this.compareFirstLast = this.root.getByRole('link', { name: 'Compare first → last' });
  }

  async snapshotCount(): Promise<number> {
    return Number(await this.count.getAttribute('data-count'));
  }

  async expectAtLeast(n: number): Promise<void> {
    await expect.poll(() => this.snapshotCount(), { timeout: 30_000 }).toBeGreaterThanOrEqual(n);
  }

  pick(seq: number): Locator {
    return this.root.getByRole('checkbox', { name: `Pick snapshot #${seq}`, exact: true });
  }

  open(seq: number): Locator {
    return this.root.locator(`[data-snapshot-seq="${seq}"]`).getByRole('link', { name: `#${seq}`, exact: true });
  }
}

export class ComparePage {
  readonly rows: Locator;
  readonly base: Locator;
  readonly target: Locator;
  readonly retainers: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByRole('table', { name: 'Comparison rows' }).locator('[data-row-index]');
    this.base = page.getByLabel('Base snapshot');
    this.target = page.getByLabel('Target snapshot');
    this.retainers = page.getByTestId('retainers');
  }

  async expectOpen(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Comparison', level: 1 })).toBeVisible();
    await expect(this.rows.first()).toBeVisible();
  }

  row(i: number): Locator {
    return this.page.getByRole('table', { name: 'Comparison rows' }).locator(`[data-row-index="${i}"]`);
  }

  groupBy(label: 'Type' | 'Line' | 'File' | 'Type at line'): Locator {
    return this.page.getByRole('radiogroup', { name: 'Group by' }).getByRole('radio', { name: label, exact: true });
  }
}

export class SnapshotPage {
  readonly rows: Locator;
  readonly totals: Locator;
  readonly filter: Locator;
  readonly rowCount: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByRole('table', { name: 'Snapshot rows' }).locator('[data-row-index]');
    this.totals = page.getByTestId('snapshot-totals');
    this.filter = page.getByRole('searchbox', { name: 'Filter by type or file' });
    this.rowCount = page.getByTestId('snapshot-row-count');
  }

  async expectOpen(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Snapshot', level: 1 })).toBeVisible();
    await expect(this.rows.first()).toBeVisible();
  }
}

export class SourcePage {
  readonly code: Locator;

  constructor(readonly page: Page) {
    this.code = page.getByRole('table', { name: 'Source with allocations' });
  }

  line(n: number): Locator {
    return this.code.locator(`[data-line="${n}"]`);
  }

  current(): Locator {
    return this.code.locator('[aria-current="true"]');
  }
}
