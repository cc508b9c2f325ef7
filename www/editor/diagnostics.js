// Turns the app's diagnostics (1-based line/col, as `podplay check` prints FILE:LINE:COL) into
// CodeMirror lint diagnostics (document offsets). Depends on @codemirror/state only, so node can
// test it without a DOM. Never throws: a bad entry is clamped or dropped, never fatal.

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);

/**
 * @param {import('@codemirror/state').Text} doc
 * @param {unknown} list  [{ line, col, message, severity }]
 * @returns {{from: number, to: number, severity: string, message: string}[]}
 */
export function toLintDiagnostics(doc, list) {
  if (!Array.isArray(list)) return [];
  const out = [];
  for (const item of list) {
    if (item === null || typeof item !== 'object') continue;
    const span = spanOf(doc, item.line, item.col);
    const severity = SEVERITIES.has(item.severity) ? item.severity : 'error';
    const message = item.message == null ? '' : String(item.message);
    out.push({ ...span, severity, message });
  }
  return out;
}

/**
 * The span to underline, in the order of what parser and validation errors point at: a mapping
 * key (`readinessprobe` of `readinessprobe:`), else the rest of the line without a trailing
 * comment or blanks (a scalar, `- name: web`). Lines and columns outside the document are
 * clamped, so a stale diagnostic from an older text still lands somewhere visible.
 */
export function spanOf(doc, line, col) {
  const lineNo = clamp(toInt(line, 1), 1, doc.lines);
  const text = doc.line(lineNo);
  const column = clamp(toInt(col, 1), 1, text.length + 1);
  // A column in the indentation (col 1 of an indented line: "somewhere on this line") starts the
  // squiggle at the line's first character instead of under blanks.
  const skipped = /^\s*/.exec(text.text.slice(column - 1))[0].length;
  const start = column - 1 + (skipped < text.text.length - (column - 1) ? skipped : 0);
  const from = text.from + start;
  const rest = text.text.slice(start);
  const key = /^([^\s#:][^:]*?):(\s|$)/.exec(rest);
  if (key && !/^[-?]\s/.test(rest)) return { from, to: from + key[1].trimEnd().length };
  const value = rest.replace(/\s+#.*$/, '').trimEnd();
  return { from, to: from + value.length };
}

function toInt(value, fallback) {
  const number = Number(value);
  return Number.isFinite(number) ? Math.trunc(number) : fallback;
}

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}
