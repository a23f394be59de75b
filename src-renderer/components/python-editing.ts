// CodeMirror 6 set up for Python in the app's dark theme, with error marks at a line:col.
// The pinned `codemirror` package is CodeMirror 5, so the editor is assembled from the v6 packages.
import {
  Decoration,
  EditorView,
  GutterMarker,
  drawSelection,
  gutter,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  type Command,
  type DecorationSet,
} from '@codemirror/view';
import { EditorSelection, findClusterBreak, RangeSet, StateEffect, StateField, type Extension } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import {
  HighlightStyle,
  IndentContext,
  bracketMatching,
  getIndentUnit,
  getIndentation,
  indentOnInput,
  indentString,
  syntaxHighlighting,
} from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import { failureRange } from './editor-diagnostics';

export interface EditorProblem {
  line: number;
  col: number;
  message: string;
}

interface ErrorMarks {
  text: DecorationSet;
  gutter: RangeSet<GutterMarker>;
}

class ErrorGutterMarker extends GutterMarker {
  constructor(readonly message: string) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof ErrorGutterMarker && other.message === this.message;
  }
  override toDOM(): Node {
    const dot = document.createElement('span');
    dot.className = 'cm-error-dot';
    dot.title = this.message;
    dot.textContent = '●';
    return dot;
  }
}

export const setProblem = StateEffect.define<EditorProblem | null>();
const noMarks: ErrorMarks = { text: Decoration.none, gutter: RangeSet.empty };

const errorMarks = StateField.define<ErrorMarks>({
  create: () => noMarks,
  update(marks, tr) {
    let next = tr.docChanged ? { text: marks.text.map(tr.changes), gutter: marks.gutter.map(tr.changes) } : marks;
    for (const e of tr.effects) {
      if (!e.is(setProblem)) continue;
      const problem = e.value;
      if (!problem) {
        next = noMarks;
        continue;
      }
      const doc = tr.state.doc;
      const range = failureRange(doc.toString(), problem.line, problem.col);
      const lineStart = doc.lineAt(range.from).from;
      const decorations = [Decoration.line({ class: 'cm-error-line' }).range(lineStart)];
      if (range.to > range.from) decorations.push(Decoration.mark({ class: 'cm-error-mark', attributes: { title: problem.message } }).range(range.from, range.to));
      next = { text: Decoration.set(decorations, true), gutter: RangeSet.of([new ErrorGutterMarker(problem.message).range(lineStart)]) };
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (m: ErrorMarks) => m.text),
});

const errorGutter = gutter({ class: 'cm-error-gutter', markers: (view) => view.state.field(errorMarks).gutter });

const darkTheme = EditorView.theme(
  {
    '&': { backgroundColor: 'var(--bg)', color: '#d8d8e4', fontSize: '12px', height: '100%' },
    '&.cm-focused': { outline: 'none' },
    '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
    '.cm-content': { caretColor: '#eeeef4', padding: '8px 0' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#eeeef4' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
      backgroundColor: 'rgba(61, 113, 217, 0.35)',
    },
    '.cm-gutters': { backgroundColor: 'var(--bg-panel)', color: '#5a5d66', borderRight: '1px solid var(--border)' },
    '.cm-activeLine': { backgroundColor: 'rgba(255, 255, 255, 0.03)' },
    '.cm-activeLineGutter': { backgroundColor: 'rgba(255, 255, 255, 0.05)', color: '#8e8e9a' },
    '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: 'rgba(110, 159, 255, 0.25)', outline: 'none' },
    '.cm-foldPlaceholder': { backgroundColor: 'var(--bg-raised)', border: 'none', color: '#8e8e9a' },
    '.cm-tooltip': { backgroundColor: 'var(--bg-raised)', border: '1px solid var(--border-strong)', color: '#ccccdc' },
    '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'rgba(61, 113, 217, 0.4)', color: '#eeeef4' },
    '.cm-panels': { backgroundColor: 'var(--bg-panel)', color: '#ccccdc' },
    '.cm-searchMatch': { backgroundColor: 'rgba(242, 204, 12, 0.25)' },
    '.cm-error-gutter': { width: '14px' },
    '.cm-error-dot': { color: '#ff6b7d', fontSize: '10px', cursor: 'default', paddingLeft: '3px' },
    '.cm-error-line': { backgroundColor: 'rgba(224, 71, 91, 0.12)' },
    '.cm-error-mark': { textDecoration: 'underline wavy #ff6b7d', textUnderlineOffset: '3px' },
  },
  { dark: true },
);

const darkHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: '#c792ea' },
  { tag: [t.string, t.special(t.string)], color: '#a5d68a' },
  { tag: [t.number, t.bool, t.null], color: '#f5a97f' },
  { tag: t.comment, color: '#6c7086', fontStyle: 'italic' },
  { tag: [t.function(t.definition(t.variableName)), t.function(t.variableName)], color: '#82aaff' },
  { tag: t.definition(t.className), color: '#ffcb6b' },
  { tag: [t.self, t.special(t.variableName)], color: '#f07178' },
  { tag: t.propertyName, color: '#89ddff' },
  { tag: [t.operator, t.punctuation, t.bracket], color: '#a6accd' },
]);

/** Enter keeps (or, after a colon, deepens) the indentation, as Python needs. */
const newlineAndIndent: Command = (view) => {
  const { state } = view;
  const tr = state.changeByRange((range) => {
    const line = state.doc.lineAt(range.from);
    const fallback = /^[ \t]*/.exec(line.text)![0].length;
    const cols = getIndentation(new IndentContext(state, { simulateBreak: range.from }), range.from) ?? fallback;
    const insert = '\n' + indentString(state, cols);
    return { changes: { from: range.from, to: range.to, insert }, range: EditorSelection.cursor(range.from + insert.length) };
  });
  view.dispatch(tr, { scrollIntoView: true, userEvent: 'input' });
  return true;
};

const insertIndentUnit: Command = (view) => {
  const unit = ' '.repeat(getIndentUnit(view.state));
  view.dispatch(view.state.replaceSelection(unit), { scrollIntoView: true, userEvent: 'input' });
  return true;
};

export /**
 * Deletes the selection, else one character (or, in leading spaces, back to the previous indent
 * stop). Bound here because Chromium's native deletion in contenteditable re-applies the deleted
 * text's colour as a style attribute, which the CSP blocks.
 */
function deleteBy(forward: boolean): Command {
  return (view) => {
    const { state } = view;
    const tr = state.changeByRange((range) => {
      if (!range.empty) return { changes: { from: range.from, to: range.to }, range: EditorSelection.cursor(range.from) };
      const line = state.doc.lineAt(range.head);
      const at = range.head - line.from;
      let from = range.head;
      let to = range.head;
      if (forward) to = at < line.length ? line.from + findClusterBreak(line.text, at, true) : Math.min(range.head + 1, state.doc.length);
      else if (at > 0 && /^ +$/.test(line.text.slice(0, at))) from = range.head - (((at - 1) % getIndentUnit(state)) + 1);
      else from = at > 0 ? line.from + findClusterBreak(line.text, at, false) : Math.max(range.head - 1, 0);
      return { changes: { from, to }, range: EditorSelection.cursor(from) };
    });
    view.dispatch(tr, { scrollIntoView: true, userEvent: forward ? 'delete.forward' : 'delete.backward' });
    return true;
  };
}

export const pythonEditing: Extension = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  drawSelection(),
  highlightActiveLine(),
  indentOnInput(),
  bracketMatching(),
  keymap.of([
    { key: 'Enter', run: newlineAndIndent },
    { key: 'Tab', run: insertIndentUnit },
    { key: 'Backspace', run: deleteBy(false) },
    { key: 'Delete', run: deleteBy(true) },
    { key: 'Mod-Backspace', run: deleteBy(false) },
    { key: 'Mod-Delete', run: deleteBy(true) },
  ]),
  history(),
  keymap.of([...historyKeymap, ...defaultKeymap]),
  python(),
  darkTheme,
  syntaxHighlighting(darkHighlight),
  errorMarks,
  errorGutter,
];
