import { join } from 'node:path';
import { expect, test } from './fixtures';
import { RunPage, SessionPage, SessionsPage } from './pages';

test('stopping a run mid-way keeps the session with its data and says it was stopped', async ({ app }) => {
  const run = new RunPage(app.page);
  await run.open();
  // The built-in scenarios finish in about a second; a server loop with no exit (and the
  // largest step budget) runs until it is stopped.
  await run.openScript(join(__dirname, 'scripts', 'endless_server.py'));
  await expect(run.source).toContainText('while True:');
  await run.setStepBudget('10,000,000,000');
  await run.runButton.click();

  await expect(run.progress).toBeVisible();
  await expect.poll(async () => Number((await run.stat('steps').textContent())!.replace(/,/g, '')), { timeout: 30_000 }).toBeGreaterThan(0);
  await app.screenshot('run-progress');

  // The Session view of a running session updates live.
  await app.page.getByRole('link', { name: 'Watch live' }).click();
  const session = new SessionPage(app.page);
  const id = await session.expectOpen();
  await session.expectStatus('running');
  await session.expectChartFilled();
  const seen = await session.seriesSamples();
  await expect.poll(() => session.seriesSamples(), { timeout: 30_000 }).toBeGreaterThan(seen);
  await app.screenshot('session-live');

  await run.open();
  await run.stopButton.click();
  expect(await session.expectOpen()).toBe(id);
  // A user stop is 'stopped', with one wording (badge and message alike).
  const status = await session.expectEnded();
  expect(status).toBe('stopped');
  await expect(app.page.locator('.title-row [data-status]')).toHaveText('stopped');
  await expect(app.page.getByTestId('session-message')).toHaveText('Stopped on request');
  await session.expectChartFilled();
  expect(await session.seriesPoints()).toBeGreaterThan(0);

  const sessions = new SessionsPage(app.page);
  await sessions.open();
  await sessions.expectStatus(sessions.rowById(id), status);
});
