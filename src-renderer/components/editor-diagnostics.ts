// Pure helpers behind the Python editor's error marks.

export interface DocRange {
  from: number;
  to: number;
}

/**
 * The document range to underline for a failure at 1-based `line`:`col`: the word (or the single
 * non-space character) starting there, clamped to the document. Empty when the position is at the end
 * of a line or in whitespace: the line itself is then marked.
 */
export function failureRange(text: string, line: number, col: number): DocRange {
  const lines = text.split('\n');
  const lineIndex = Math.min(Math.max(line, 1), lines.length) - 1;
  let lineStart = 0;
  for (let i = 0; i < lineIndex; i++) lineStart += lines[i]!.length + 1;
  const lineText = lines[lineIndex]!;
  const offset = Math.min(Math.max(col - 1, 0), lineText.length);
  const token = /^(\w+|\S)/.exec(lineText.slice(offset));
  const from = lineStart + offset;
  return { from, to: from + (token ? token[0].length : 0) };
}
