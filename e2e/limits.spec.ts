import { expect, test } from './fixtures';
import { RunPage, SessionPage } from './pages';

test('a run that crosses its memory limit ends failed, with the reason and the output so far', async ({ app }) => {
  const run = new RunPage(app.page);
  await run.open();
  await run.chooseScenario('container_memory_limit');
  await app.page.getByLabel('Memory limit (MiB)').fill('8');
  await run.runButton.click();

  const session = new SessionPage(app.page);
  await session.expectOpen();
  await session.expectStatus('failed');
  await expect(app.page.locator('.meta').getByText('8.00 MiB')).toBeVisible();
  await expect(app.page.getByTestId('session-message')).not.toBeEmpty();
  await expect(app.page.getByTestId('session-output')).toContainText('batched job processed');
  await session.expectChartFilled();
  await app.screenshot('session-failed');
});

test('the GC event table is virtualized: it renders a window of rows and scrolls to the last one', async ({ app }) => {
  const session = new SessionPage(app.page);
  await app.page.locator('tbody tr [data-status="complete"]').first().waitFor({ timeout: 60_000 });
  await app.page.locator('tbody tr a').first().click();
  await session.expectOpen();
  const count = app.page.getByTestId('gc-event-count');
  await expect(count).toContainText('in this session');
  await expect.poll(async () => Number(await count.getAttribute('data-count'))).toBeGreaterThan(50);
  const total = Number(await count.getAttribute('data-count'));
  await expect(session.events.first()).toBeVisible();
  expect(await session.events.count()).toBeLessThan(total);

  await app.page.getByRole('table', { name: 'GC events' }).locator('.viewport').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(app.page.locator(`[data-gc-seq="${total}"]`)).toBeVisible();
  expect(await session.events.count()).toBeLessThan(total);
});
