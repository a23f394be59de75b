// Page objects shared by the web and electron projects.
import { expect, type Locator, type Page } from '@playwright/test';

type Status = 'running' | 'complete' | 'stopped' | 'interrupted' | 'failed';

export class Shell {
  constructor(readonly page: Page) {}

  async goTo(view: 'Sessions' | 'Run'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: view }).click();
  }
}

export class SessionsPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sessions', level: 1 });
    this.search = page.getByRole('searchbox', { name: 'Search sessions' });
    this.rows = page.getByRole('table', { name: 'Sessions' }).locator('tbody tr');
  }

  async open(): Promise<void> {
    await new Shell(this.page).goTo('Sessions');
    await expect(this.heading).toBeVisible();
  }

  /** Waits for the first answer of the list (it may be empty). */
  async loaded(): Promise<void> {
    await expect(this.page.locator('section[data-loaded="true"]')).toBeVisible();
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  rowById(id: number): Locator {
    return this.page.locator(`tbody tr[data-session-id="${id}"]`);
  }

  status(row: Locator): Locator {
    return row.locator('[data-status]');
  }

  async expectStatus(row: Locator, status: Status): Promise<void> {
    await expect(this.status(row)).toHaveAttribute('data-status', status, { timeout: 60_000 });
  }

  async rename(row: Locator, newName: string): Promise<void> {
    await row.getByRole('button', { name: /^Rename / }).click();
    const input = row.getByRole('textbox', { name: 'New name' });
    await expect(input).toBeFocused();
    await input.fill(newName);
    await input.press('Enter');
  }

  async delete(row: Locator): Promise<void> {
    await row.getByRole('button', { name: /^Delete / }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Delete session?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(dialog).toBeHidden();
  }
}

export class RunPage {
  readonly scenarios: Locator;
  readonly runButton: Locator;
  readonly stopButton: Locator;
  readonly progress: Locator;
  readonly source: Locator;
  /** The CodeMirror editor's content (the same element as `source`). */
  readonly editor: Locator;
  /** The line under the editor: the check's message. */
  readonly editorStatus: Locator;

  constructor(readonly page: Page) {
    this.scenarios = page.getByRole('radiogroup', { name: 'Scenario' }).getByRole('radio');
    this.runButton = page.getByRole('button', { name: 'Run', exact: true });
    this.stopButton = page.getByRole('button', { name: 'Stop', exact: true });
    this.progress = page.getByTestId('run-progress');
    this.source = page.getByLabel('Scenario source');
    this.editor = page.getByTestId('python-editor');
    this.editorStatus = page.getByTestId('editor-status');
  }

  async open(): Promise<void> {
    await new Shell(this.page).goTo('Run');
    await expect(this.page.getByRole('heading', { name: 'Run a scenario' })).toBeVisible();
    await expect(this.scenarios.first()).toBeVisible();
  }

  async scenarioIds(): Promise<string[]> {
    return this.page.locator('[data-scenario-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-scenario-id') ?? ''));
  }

  /** Opens a .py file from disk as "your script" and selects it. */
  async openScript(path: string): Promise<void> {
    await this.page.getByLabel('Open a Python script').setInputFiles(path);
    await expect(this.page.locator('[data-scenario-id=":file"] input')).toBeChecked();
  }

  /** Puts the cursor at the end of the first editor line containing `text`. */
  async editorLineEnd(text: string): Promise<void> {
    await this.editor.locator('.cm-line', { hasText: text }).first().click();
    await this.page.keyboard.press('End');
  }

  async chooseScenario(id: string): Promise<void> {
    await this.page.locator(`[data-scenario-id="${id}"]`).click();
    await expect(this.page.locator(`[data-scenario-id="${id}"] input`)).toBeChecked();
  }

  threshold(i: 0 | 1 | 2): Locator {
    return this.page.getByLabel(`Threshold ${i}`, { exact: true });
  }

  fieldMessage(field: 'threshold0' | 'threshold1' | 'threshold2' | 'stepBudget' | 'memoryLimit'): Locator {
    return this.page.locator(`#${field}-msg`);
  }

  async setStepBudget(value: string): Promise<void> {
    await this.page.getByLabel('Step budget').fill(value);
  }

  stat(name: 'steps' | 'time' | 'live' | 'collections'): Locator {
    return this.progress.locator(`[data-stat="${name}"]`);
  }
}

export class SessionPage {
  readonly name: Locator;
  readonly chart: Locator;
  readonly seriesInfo: Locator;
  readonly resetZoom: Locator;
  readonly events: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByTestId('session-name');
    this.chart = page.getByTestId('memory-chart');
    this.seriesInfo = page.getByTestId('series-info');
    this.resetZoom = page.getByRole('button', { name: 'Reset zoom' });
    this.events = page.getByRole('table', { name: 'GC events' }).locator('[data-gc-seq]');
  }

  async expectOpen(): Promise<number> {
    await expect(this.page).toHaveURL(/#\/sessions\/\d+$/, { timeout: 60_000 });
    return Number(/#\/sessions\/(\d+)$/.exec(this.page.url())![1]);
  }

  async expectStatus(status: Status): Promise<void> {
    await expect(this.page.locator('.title-row [data-status]')).toHaveAttribute('data-status', status, { timeout: 60_000 });
  }

  /** Waits until the session is no longer running and returns its final status. */
  async expectEnded(): Promise<Status> {
    const badge = this.page.locator('.title-row [data-status]');
    await expect(badge).not.toHaveAttribute('data-status', 'running', { timeout: 60_000 });
    return (await badge.getAttribute('data-status')) as Status;
  }

  /** The samples behind the shown series (before min/max bucketing), from the chart's caption. */
  async seriesSamples(): Promise<number> {
    const caption = (await this.seriesInfo.textContent()) ?? '';
    return Number(/from ([\d,]+) samples/.exec(caption)?.[1]?.replace(/,/g, '') ?? 0);
  }

  async seriesPoints(): Promise<number> {
    return Number(await this.chart.getAttribute('data-series-points'));
  }

  async markers(): Promise<number> {
    return Number(await this.chart.getAttribute('data-markers'));
  }

  async expectChartFilled(): Promise<void> {
    await expect.poll(() => this.seriesPoints(), { timeout: 30_000 }).toBeGreaterThan(0);
  }

  /** Drags the plot horizontally by `dx` pixels (a pan). */
  async drag(dx: number): Promise<void> {
    const box = (await this.chart.locator('canvas').boundingBox())!;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width / 2, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width / 2 + dx, y, { steps: 12 });
    await this.page.mouse.up();
  }

  async zoomIn(): Promise<void> {
    const box = (await this.chart.locator('canvas').boundingBox())!;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await this.page.mouse.wheel(0, -240);
  }
}
