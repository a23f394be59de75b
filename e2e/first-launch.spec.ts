import { expect, test } from './fixtures';
import { SessionPage, SessionsPage } from './pages';

test('the first launch shows the recorded demo session, never an empty screen', async ({ app }) => {
  const sessions = new SessionsPage(app.page);
  await expect(sessions.heading).toBeVisible();
  await expect(sessions.rows).toHaveCount(1, { timeout: 60_000 });
  const demo = sessions.rows.first();
  await sessions.expectStatus(demo, 'complete');
  await app.screenshot('sessions-first-launch');

  await demo.getByRole('link').click();
  const session = new SessionPage(app.page);
  await session.expectOpen();
  await session.expectStatus('complete');
  await session.expectChartFilled();
  await expect.poll(() => session.markers()).toBeGreaterThan(0);
  await expect(session.events.first()).toBeVisible();
  await app.screenshot('demo-session');
});
