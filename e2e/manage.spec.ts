import { expect, test } from './fixtures';
import { SessionsPage } from './pages';

test('a session can be renamed inline, found by search, and deleted after confirming', async ({ app }) => {
  const sessions = new SessionsPage(app.page);
  await expect(sessions.rows).toHaveCount(1, { timeout: 60_000 });
  const id = Number(await sessions.rows.first().getAttribute('data-session-id'));
  // The demo is recorded in the background at first launch; manage it once it is complete.
  await sessions.expectStatus(sessions.rowById(id), 'complete');

  await sessions.rename(sessions.rowById(id), 'Leaky cache, take 2');
  await expect(sessions.row('Leaky cache, take 2')).toBeVisible();

  // The rename is stored, not just shown: it survives a reload.
  await app.page.reload();
  await expect(sessions.row('Leaky cache, take 2')).toBeVisible();

  await sessions.search.fill('take 2');
  await expect(sessions.rows).toHaveCount(1);
  await sessions.search.fill('no such session');
  await expect(app.page.getByText('No sessions match “no such session”')).toBeVisible();
  await sessions.search.fill('');
  await expect(sessions.rows).toHaveCount(1);

  // Cancelling the confirmation keeps the session.
  await sessions.rowById(id).getByRole('button', { name: /^Delete / }).click();
  await app.page.getByRole('dialog', { name: 'Delete session?' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(sessions.rowById(id)).toBeVisible();

  await sessions.delete(sessions.rowById(id));
  await expect(sessions.rowById(id)).toHaveCount(0);
  await expect(app.page.getByText('No sessions yet')).toBeVisible();
  await app.page.reload();
  await expect(app.page.getByText('No sessions yet')).toBeVisible();
});
