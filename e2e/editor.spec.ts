import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { RunPage, SessionPage } from './pages';

const SCRIPT = `class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None

nodes = []
for i in range(200):
    a = Node("a")
    b = Node("b")
    a.peer = b
    b.peer = a
    nodes.append(a)
print("built", len(nodes), "pairs")
`;

test('the editor shows an opened script highlighted, flags a syntax error at line:col, and runs the fixed text', async ({ app }) => {
  const page = app.page;
  const dir = mkdtempSync(join(tmpdir(), 'pygc-editor-'));
  const path = join(dir, 'editor_demo.py');
  writeFileSync(path, SCRIPT);

  const run = new RunPage(page);
  await run.open();
  await run.openScript(path);
  await expect(run.editor).toContainText('class Node:');
  await expect(page.getByTestId('editor-filename')).toHaveText('editor_demo.py');
  await expect(run.editorStatus).toContainText('No syntax errors');
  await expect(run.runButton).toBeEnabled();

  // Highlighted and styled: keywords take the theme's colour (CodeMirror's injected styles apply under the CSP).
  const keyword = run.editor.locator('.cm-line').first().getByText('class', { exact: true });
  await expect(keyword).toHaveCSS('color', 'rgb(199, 146, 234)');
  await expect(page.locator('.cm-editor')).toHaveCSS('background-color', 'rgb(17, 18, 23)');
  await expect(page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^13$/ })).toBeVisible();

  // Break line 6: `nodes = [` never closes, so the parser stops at line 7.
  await run.editorLineEnd('nodes = []');
  await page.keyboard.press('Backspace');
  await expect(run.editorStatus).toHaveText(/SyntaxError: invalid syntax at editor_demo\.py:\d+:\d+/);
  const [, line, col] = /:(\d+):(\d+)/.exec((await run.editorStatus.textContent())!)!;
  expect(Number(line)).toBeGreaterThanOrEqual(6);
  expect(Number(col)).toBeGreaterThanOrEqual(1);
  await expect(run.runButton).toBeDisabled();
  await expect(page.locator('.cm-error-dot')).toHaveCount(1);
  await expect(page.locator('.cm-error-line')).toHaveCount(1);
  await expect(page.getByText('edited', { exact: true })).toBeVisible();
  await app.screenshot('editor');

  // Undo restores the bracket (and clears the error); redo breaks it again.
  await page.keyboard.press('Control+z');
  await expect(run.editorStatus).toContainText('No syntax errors');
  await expect(run.editor).toContainText('nodes = []');
  await page.keyboard.press('Control+y');
  await expect(run.editorStatus).toHaveText(/SyntaxError: invalid syntax/);

  // Fix it and change what the script prints: Run runs the editor's text, not the file.
  await run.editorLineEnd('nodes = [');
  await page.keyboard.type(']');
  await run.editorLineEnd('print("built"');
  await page.keyboard.press('Enter');
  await page.keyboard.type('print("edited in the editor")');
  await expect(run.editorStatus).toContainText('No syntax errors');
  await expect(page.locator('.cm-error-dot')).toHaveCount(0);
  await expect(run.runButton).toBeEnabled();
  await run.runButton.click();

  const session = new SessionPage(page);
  await session.expectOpen();
  await session.expectStatus('complete');
  await expect(session.name).toContainText('editor_demo.py');
  await expect(page.getByTestId('session-output')).toContainText('built 200 pairs');
  await expect(page.getByTestId('session-output')).toContainText('edited in the editor');
});

test('an unsupported construct in an edited copy of a scenario is flagged; Revert restores it; an edited copy runs under an "(edited)" name', async ({ app }) => {
  const page = app.page;
  const run = new RunPage(page);
  await run.open();
  const first = (await run.scenarioIds())[0]!;
  await run.chooseScenario(first);
  const title = (await page.locator(`[data-scenario-id="${first}"] .scenario-title`).textContent())!.trim();
  await expect(page.getByTestId('editor-filename')).toHaveText(`${first}.py`);
  await expect(run.editorStatus).toContainText('ready to run');

  await run.editor.locator('.cm-line').first().click();
  await page.keyboard.press('Home');
  await page.keyboard.type('import json\n');
  await expect(run.editorStatus).toHaveText(new RegExp(`at ${first}\\.py:1:\\d+`));
  await expect(run.runButton).toBeDisabled();

  await page.getByRole('button', { name: 'Revert' }).click();
  await expect(run.editorStatus).toContainText('ready to run');
  await expect(page.getByText('edited', { exact: true })).toHaveCount(0);
  await expect(run.runButton).toBeEnabled();

  await run.editor.locator('.cm-line').first().click();
  await page.keyboard.press('Home');
  await page.keyboard.type('print("copy edited")\n');
  await expect(run.editorStatus).toContainText('Run uses your edited text');
  await run.runButton.click();
  const session = new SessionPage(page);
  await session.expectOpen();
  await session.expectStatus('complete');
  await expect(session.name).toContainText(`${title} (edited)`);
  await expect(page.getByTestId('session-output')).toContainText('copy edited');
});
