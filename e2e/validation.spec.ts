import { expect, test } from './fixtures';
import { RunPage, SessionsPage } from './pages';

test('an out-of-range threshold is rejected with a message naming the field, and no run starts', async ({ app }) => {
  const sessions = new SessionsPage(app.page);
  await sessions.loaded();
  const before = await sessions.rows.count();

  const run = new RunPage(app.page);
  await run.open();
  await run.threshold(0).fill('2000000');
  await expect(run.fieldMessage('threshold0')).toHaveText('Threshold 0 must be between 0 and 1,000,000');
  await expect(run.threshold(0)).toHaveAttribute('aria-invalid', 'true');
  await run.threshold(2).fill('-1');
  await expect(run.fieldMessage('threshold2')).toHaveText('Threshold 2 must be between 0 and 1,000,000');

  await run.runButton.click();
  await expect(run.progress).toBeHidden();
  await expect(app.page).toHaveURL(/#\/run$/);
  await app.screenshot('run-invalid');

  await run.threshold(0).fill('700');
  await expect(run.fieldMessage('threshold0')).not.toContainText('must be');
  await expect(run.threshold(0)).not.toHaveAttribute('aria-invalid', 'true');

  await sessions.open();
  await sessions.loaded();
  await expect(sessions.rows).toHaveCount(before);
});
