import { expect, test } from './fixtures';
import { RunPage, SessionPage, SessionsPage } from './pages';

test('running a scenario fills the chart, and the session is listed as complete', async ({ app }) => {
  const run = new RunPage(app.page);
  await run.open();
  const ids = await run.scenarioIds();
  expect(ids.length, 'built-in scenarios').toBeGreaterThan(0);
  await run.chooseScenario(ids[0]!);
  await expect(run.source).toBeVisible();
  await app.screenshot('run');

  await run.runButton.click();
  const session = new SessionPage(app.page);
  const id = await session.expectOpen();
  await session.expectStatus('complete');
  await session.expectChartFilled();
  await app.screenshot('session');

  // A second run with the 3.13 profile, whose default thresholds replace 3.11's.
  await run.open();
  await run.chooseScenario(ids[1] ?? ids[0]!);
  await app.page.getByRole('radio', { name: 'CPython 3.13' }).click();
  await expect(run.threshold(0)).toHaveValue('2000');
  await run.runButton.click();
  const second = await session.expectOpen();
  expect(second).not.toBe(id);
  await session.expectStatus('complete');
  await expect(app.page.getByText('CPython 3.13')).toBeVisible();
  await expect(app.page.getByTestId('thresholds')).toHaveText('2000 / 10 / 10');
  await session.expectChartFilled();
  await app.screenshot('session-second');

  const sessions = new SessionsPage(app.page);
  await sessions.open();
  await sessions.expectStatus(sessions.rowById(id), 'complete');
  await sessions.expectStatus(sessions.rowById(second), 'complete');
  await expect(sessions.rows).toHaveCount(3);
  await app.screenshot('sessions');
});

test('zooming the chart refetches the series for the visible range; Reset zoom restores it', async ({ app }) => {
  const sessions = new SessionsPage(app.page);
  await sessions.expectStatus(sessions.rows.first(), 'complete');
  await sessions.rows.first().getByRole('link').click();
  const session = new SessionPage(app.page);
  await session.expectOpen();
  await session.expectChartFilled();
  await expect(session.resetZoom).toBeDisabled();
  const whole = (await session.seriesInfo.textContent())!;
  const wholeSamples = /from ([\d,]+) samples/.exec(whole)![1]!;

  await session.zoomIn();
  await expect(session.resetZoom).toBeEnabled();
  // The refetched series covers only the visible range, so the sample count drops and the range is shown.
  await expect(session.seriesInfo).toContainText('–');
  await expect(session.seriesInfo).not.toContainText(`from ${wholeSamples} samples`);
  await session.expectChartFilled();
  await app.screenshot('session-zoomed');

  // Dragging pans to earlier times and refetches that range.
  const zoomedRange = (await session.seriesInfo.locator('.range').textContent())!;
  await session.drag(250);
  await expect(session.seriesInfo.locator('.range')).not.toHaveText(zoomedRange);

  await session.resetZoom.click();
  await expect(session.resetZoom).toBeDisabled();
  await expect(session.seriesInfo).toContainText(`from ${wholeSamples} samples`);
  await expect(session.seriesInfo).not.toContainText('–');
});
