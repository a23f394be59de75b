import { expect, test } from './fixtures';
import { SessionPage, SessionsPage } from './pages';

test('a session reopens with its data after the server restarts on the same data dir', async ({ app }) => {
  const sessions = new SessionsPage(app.page);
  await expect(sessions.rows.first()).toBeVisible({ timeout: 60_000 });
  const id = Number(await sessions.rows.first().getAttribute('data-session-id'));
  await sessions.expectStatus(sessions.rowById(id), 'complete');
  await sessions.rename(sessions.rowById(id), 'Kept across restarts');
  await expect(sessions.row('Kept across restarts')).toBeVisible();

  await sessions.row('Kept across restarts').getByRole('link').click();
  const session = new SessionPage(app.page);
  await session.expectOpen();
  await session.expectChartFilled();
  const samplesBefore = await session.seriesSamples();
  expect(samplesBefore).toBeGreaterThan(0);
  const eventsBefore = await session.events.count();

  await app.restart();

  await expect(sessions.row('Kept across restarts')).toBeVisible();
  await sessions.row('Kept across restarts').getByRole('link').click();
  expect(await session.expectOpen()).toBe(id);
  await expect(session.name).toHaveText('Kept across restarts');
  await session.expectStatus('complete');
  await session.expectChartFilled();
  await expect.poll(() => session.seriesSamples()).toBe(samplesBefore);
  await expect(session.events).toHaveCount(eventsBefore);
});
