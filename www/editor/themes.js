// The light and dark looks. Each is an editor theme plus a syntax highlight style; the editor
// swaps both through one Compartment, so switching at runtime keeps the document and history.
import { EditorView } from '@codemirror/view';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

const shared = {
  '&': { fontSize: '13px', height: '100%' },
  '.cm-scroller': {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
    lineHeight: '1.5',
  },
  '.cm-content': { padding: '6px 0' },
  '&.cm-focused': { outline: '2px solid var(--podplay-focus, #2f6feb)', outlineOffset: '-2px' },
  '.cm-lintRange-error, .cm-lintRange-warning': { backgroundPosition: 'left bottom' },
};

// Contrast of the text colours below is at least 4.5:1 on their backgrounds (WCAG AA), so the
// page passes axe's colour-contrast rule with the editor mounted.
const lightTheme = EditorView.theme(
  {
    ...shared,
    '&': { ...shared['&'], color: '#1f2328', backgroundColor: '#ffffff' },
    '.cm-gutters': { backgroundColor: '#f6f8fa', color: '#57606a', borderRight: '1px solid #d0d7de' },
    '.cm-activeLine': { backgroundColor: '#f3f6fb' },
    '.cm-activeLineGutter': { backgroundColor: '#e7ecf3', color: '#1f2328' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#1f2328' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground':
      { backgroundColor: '#cfe3ff' },
    '.cm-matchingBracket': { backgroundColor: '#d7f5dd', outline: '1px solid #57ab5a' },
  },
  { dark: false },
);

const darkTheme = EditorView.theme(
  {
    ...shared,
    '&': { ...shared['&'], color: '#e6edf3', backgroundColor: '#0d1117' },
    '.cm-gutters': { backgroundColor: '#0d1117', color: '#8b949e', borderRight: '1px solid #30363d' },
    '.cm-activeLine': { backgroundColor: '#161b22' },
    '.cm-activeLineGutter': { backgroundColor: '#161b22', color: '#e6edf3' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#e6edf3' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground':
      { backgroundColor: '#264f78' },
    '.cm-matchingBracket': { backgroundColor: '#1f3d2a', outline: '1px solid #3fb950' },
    '.cm-tooltip': { backgroundColor: '#161b22', color: '#e6edf3', border: '1px solid #30363d' },
    '.cm-panels': { backgroundColor: '#161b22', color: '#e6edf3' },
    '.cm-diagnostic': { color: '#e6edf3' },
  },
  { dark: true },
);

// YAML's tokens through @codemirror/lang-yaml: keys are propertyName/definition, scalars
// string/number/bool/null, `#` comments, `---` and `...` meta, anchors/aliases labelName.
const lightHighlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: '#0550ae' },
  { tag: [t.string, t.special(t.string), t.content], color: '#0a3069' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#8250df' },
  { tag: t.comment, color: '#57606a', fontStyle: 'italic' },
  { tag: [t.meta, t.processingInstruction, t.documentMeta], color: '#953800' },
  { tag: [t.labelName, t.typeName, t.tagName], color: '#953800' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: '#57606a' },
  { tag: t.invalid, color: '#cf222e' },
]);

const darkHighlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: '#79c0ff' },
  { tag: [t.string, t.special(t.string), t.content], color: '#a5d6ff' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#d2a8ff' },
  { tag: t.comment, color: '#8b949e', fontStyle: 'italic' },
  { tag: [t.meta, t.processingInstruction, t.documentMeta], color: '#ffa657' },
  { tag: [t.labelName, t.typeName, t.tagName], color: '#ffa657' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: '#8b949e' },
  { tag: t.invalid, color: '#ff7b72' },
]);

/** The extensions for one look. */
export function themeExtensions(dark) {
  return dark
    ? [darkTheme, syntaxHighlighting(darkHighlight)]
    : [lightTheme, syntaxHighlighting(lightHighlight)];
}
