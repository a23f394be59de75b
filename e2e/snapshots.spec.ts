// The snapshot views end to end: automatic snapshots of the leaking-cache scenario, their
// comparison, the retainers of the top group and its source line; then leak suspects of a
// script that calls tracemalloc.take_snapshot() while its cache grows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { RunPage, SessionPage } from './pages';
import { ComparePage, SnapshotPage, SnapshotsPanel, SourcePage } from './snapshot-pages';

const SCENARIO = 'cache_lru';
/** The line of the unbounded cache's values: the first `value = [key, …]` of the scenario. */
function cacheLine(source: string): number {
  const index = source.split('\n').findIndex((l) => l.includes('value = [key, key * 2'));
  expect(index, 'the cache line of the scenario').toBeGreaterThanOrEqual(0);
  return index + 1;
}

test('the leaking cache: compare the first and last snapshots, then retainers and source of the cache line', async ({ app }) => {
  const page = app.page;
  const line = cacheLine(readFileSync(join(process.cwd(), 'scenarios', `${SCENARIO}.py`), 'utf8'));

  const run = new RunPage(page);
  await run.open();
  await run.chooseScenario(SCENARIO);
  await page.getByLabel('Snapshot every (ms)').fill('0.5');
  await run.runButton.click();

  const session = new SessionPage(page);
  const sessionId = await session.expectOpen();
  await session.expectStatus('complete');
  await session.expectChartFilled();
  const panel = new SnapshotsPanel(page);
  await panel.expectAtLeast(3);
  const snapshots = await panel.snapshotCount();
  // One vertical mark per snapshot on the memory chart.
  await expect(session.chart).toHaveAttribute('data-snapshot-marks', String(snapshots));

  // Picking two marks on the timeline opens their comparison, oldest as the base.
  const mark = (seq: number) => session.chart.getByRole('button', { name: `Snapshot #${seq} on the timeline`, exact: true });
  await mark(snapshots).click();
  await expect(mark(snapshots)).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.pick(snapshots)).toBeChecked();
  await app.screenshot('timeline');
  await mark(1).click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${sessionId}/compare/\\d+/\\d+$`));
  const compare = new ComparePage(page);
  await compare.expectOpen();
  await expect(compare.base.locator('option:checked')).toHaveText(/^#1 /);
  await expect(compare.target.locator('option:checked')).toHaveText(new RegExp(`^#${snapshots} `));

  // Grouped by line, tracemalloc's compare_to order puts the cache's line on top: the cache
  // never evicts, the largest |size delta| of the run.
  await expect(compare.groupBy('Line')).toHaveAttribute('aria-checked', 'true');
  const top = compare.row(0);
  await expect(top).toContainText(`${SCENARIO}.py:${line}`);
  await expect(top.getByTestId('size-diff')).toHaveText(/^\+/);
  // Positive deltas are highlighted.
  await expect(top).toHaveAttribute('data-tone', 'grow');
  await app.screenshot('compare');

  // Its retainers, as of the target: the module global that holds the cache.
  await top.click();
  await expect(top).toHaveAttribute('aria-selected', 'true');
  await expect(compare.retainers).toBeVisible();
  await expect(compare.retainers).toContainText(`${SCENARIO}.py:${line}`);
  await expect(compare.retainers.getByTestId('retainer-path').first()).toBeVisible();
  await expect(compare.retainers).toContainText("global 'unbounded'");
  await expect(compare.retainers.getByTestId('retained-bytes')).not.toHaveText('0 B');
  await app.screenshot('retainers');

  // Its source line: opened, highlighted and scrolled into view, with the allocation gutter.
  await top.getByRole('button', { name: `${SCENARIO}.py:${line}` }).click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${sessionId}/source\\?.*line=${line}`));
  const source = new SourcePage(page);
  await expect(source.line(line)).toHaveAttribute('aria-current', 'true');
  await expect(source.line(line)).toBeInViewport();
  await expect(source.line(line)).toContainText('value = [key, key * 2');
  await expect(source.line(line)).toContainText('+');
  await app.screenshot('source');

  // The Snapshot view of the last snapshot: totals, generation bars, rows sorted by size, filter.
  await page.goto(page.url().replace(/#.*$/, `#/sessions/${sessionId}`));
  // The cache's line is the top leak suspect: what the unbounded cache retains only grows.
  await expect(page.getByTestId('leaks-panel').getByTestId('leak-suspect').first()).toContainText(`${SCENARIO}.py:${line}`);
  await panel.open(snapshots).click();
  const snapshot = new SnapshotPage(page);
  await snapshot.expectOpen();
  await expect(snapshot.totals).toContainText('Objects');
  const allRows = await snapshot.rowCount.textContent();
  await snapshot.filter.fill(`${SCENARIO}.py`);
  await expect(snapshot.rowCount).not.toHaveText(allRows!);
  await expect(snapshot.rows.first()).toContainText(`${SCENARIO}.py`);
  // Sorting by count puts the most numerous group first.
  await page.getByRole('columnheader', { name: /^Count/ }).click();
  await expect(page.getByRole('columnheader', { name: /^Count/ })).toHaveAttribute('aria-sort', 'descending');
  await snapshot.rows.first().click();
  const retainers = page.getByTestId('retainers');
  await expect(retainers.getByTestId('retainer-path').first()).toBeVisible();
  await snapshot.filter.fill('');
  await expect(snapshot.rowCount).toHaveText(allRows!);
  // A new query drops the selection and its retainers.
  await expect(retainers).toBeHidden();
  await snapshot.rows.nth(2).click();
  await expect(retainers.getByTestId('retained-bytes')).toBeVisible();
  await app.screenshot('snapshot');
});

test('a growing cache is the top leak suspect, with its evidence: sizes per snapshot, the holder path, the line', async ({ app }) => {
  const page = app.page;
  const run = new RunPage(page);
  await run.open();
  await run.openScript(join(process.cwd(), 'e2e', 'scripts', 'leaky_cache.py'));
  await run.runButton.click();

  const session = new SessionPage(page);
  const sessionId = await session.expectOpen();
  await session.expectStatus('complete');
  const panel = new SnapshotsPanel(page);
  await panel.expectAtLeast(5);
  await expect(page.getByText('take_snapshot()').first()).toBeVisible();

  const leaks = page.getByTestId('leaks-panel');
  const suspects = leaks.getByTestId('leak-suspect');
  await expect(suspects.first()).toBeVisible();
  // The cache's values (a list per key, line 10), held by the cache dict (line 4), grow in every step.
  const top = suspects.first();
  await expect(top).toContainText('list');
  await expect(top).toContainText('leaky_cache.py:10');
  await expect(top.getByTestId('leak-holder')).toHaveText(/dict\s+leaky_cache\.py:4/);
  await expect(top).toContainText('1,500 → 7,500');
  // tracemalloc's own traces (the take_snapshot() line) are not suspects.
  await expect(leaks).not.toContainText('leaky_cache.py:19');

  // The first suspect's evidence is open: sizes and counts per snapshot, the path from the root, what it retains.
  await expect(top).toHaveAttribute('data-expanded', 'true');
  const evidence = top.getByTestId('leak-evidence');
  await expect(evidence).toContainText('Grew in 4 of 4 steps');
  await expect(evidence.getByTestId('leak-counts').locator('td')).toHaveText(['1,500', '3,000', '4,500', '6,000', '7,500']);
  const retained = await evidence.getByTestId('leak-bytes').locator('td').allTextContents();
  expect(retained).toHaveLength(5);
  await expect(evidence.getByTestId('leak-path')).toContainText("global 'cache'");
  await expect(evidence.getByTestId('leak-path')).toContainText('dict leaky_cache.py:4');
  await expect(evidence.getByRole('list', { name: 'What it retains' })).toContainText('str leaky_cache.py:10');
  await leaks.scrollIntoViewIfNeeded();
  await app.screenshot('leaks');

  // Its line in the Source view.
  await evidence.getByTestId('leak-source').click();
  await expect(page).toHaveURL(new RegExp(`#/sessions/${sessionId}/source\\?.*line=10`));
  const source = new SourcePage(page);
  await expect(source.line(10)).toHaveAttribute('aria-current', 'true');
  await expect(source.line(10)).toContainText('value = [key, key * 2');
  await page.goBack();

  // Its comparison, first to last snapshot, with the group selected and its retainers.
  await leaks.getByTestId('leak-suspect').first().getByTestId('leak-compare').click();
  const compare = new ComparePage(page);
  await compare.expectOpen();
  await expect(compare.groupBy('Type at line')).toHaveAttribute('aria-checked', 'true');
  const selected = page.locator('[data-row-index][aria-selected="true"]');
  await expect(selected).toContainText('leaky_cache.py:10');
  await expect(selected).toHaveAttribute('data-tone', 'grow');
  await expect(compare.retainers).toContainText("global 'cache'");
});

test('the Snapshot button snapshots a running session, from the Run view and from the live Session view', async ({ app }) => {
  const page = app.page;
  const run = new RunPage(page);
  await run.open();
  await run.openScript(join(process.cwd(), 'e2e', 'scripts', 'endless_server.py'));
  await run.setStepBudget('10,000,000,000');
  await run.runButton.click();
  await expect(run.progress).toBeVisible();

  await run.progress.getByRole('button', { name: 'Snapshot' }).click();
  await expect(run.progress.locator('[data-stat="snapshots"]')).toHaveText('1', { timeout: 30_000 });

  await page.getByRole('link', { name: 'Watch live' }).click();
  const session = new SessionPage(page);
  await session.expectOpen();
  await session.expectStatus('running');
  const panel = new SnapshotsPanel(page);
  await panel.expectAtLeast(1);
  await panel.root.getByRole('button', { name: 'Snapshot' }).click();
  await panel.expectAtLeast(2);
  await expect(panel.root.getByRole('row').filter({ hasText: 'button' })).toHaveCount(2);
  await expect.poll(() => session.chart.getAttribute('data-snapshot-marks').then(Number), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

  await run.open();
  await run.stopButton.click();
  await session.expectEnded();
});

test('the Snapshot table is virtualized: thousands of groups render a window of rows and page in as it scrolls', async ({ app }) => {
  const page = app.page;
  // One list per line: a snapshot with one (list, line) group per line of the script.
  const lines = 3_000;
  const body = Array.from({ length: lines }, (_, i) => `k.append([${i}])`).join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'pygc-wide-'));
  const script = join(dir, 'wide.py');
  writeFileSync(script, `import tracemalloc\ntracemalloc.start()\nk = []\n${body}\ntracemalloc.take_snapshot()\n`);

  const run = new RunPage(page);
  await run.open();
  await run.openScript(script);
  rmSync(dir, { recursive: true, force: true });
  await run.runButton.click();
  const session = new SessionPage(page);
  await session.expectOpen();
  await session.expectStatus('complete');
  const panel = new SnapshotsPanel(page);
  await panel.expectAtLeast(1);
  await panel.open(1).click();

  const snapshot = new SnapshotPage(page);
  await snapshot.expectOpen();
  const table = page.getByRole('table', { name: 'Snapshot rows' });
  const total = Number(await table.getAttribute('data-total-rows'));
  expect(total).toBeGreaterThan(lines);
  expect(await snapshot.rows.count()).toBeLessThan(60);

  await snapshot.page.getByRole('columnheader', { name: /^Type at line/ }).click();
  const viewport = table.locator('.viewport');
  await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(table.locator(`[data-row-index="${total - 1}"] .r`).first()).toBeVisible();
  expect(await snapshot.rows.count()).toBeLessThan(60);
  await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  const middle = Math.floor(total / 2);
  await expect(table.locator(`[data-row-index="${middle}"] .r`).first()).toBeVisible();
});
