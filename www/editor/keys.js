// Key bindings beyond CodeMirror's defaults: Tab indents with two spaces (YAML forbids tabs in
// indentation, so a literal tab is never inserted), and Ctrl/Cmd+Enter applies the manifest.
import { EditorSelection, Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { indentLess, indentMore } from '@codemirror/commands';
import { getIndentUnit } from '@codemirror/language';

/**
 * Tab: with a selection, indent the selected lines by one unit (two spaces); with a bare cursor,
 * insert spaces up to the next multiple of the unit, as editors do for YAML. Escape then Tab still
 * moves focus out of the editor (CodeMirror's tab-focus mode), so keyboard users are not trapped.
 */
export function indentOrInsertSpaces(view) {
  const { state } = view;
  if (state.readOnly) return false;
  if (state.selection.ranges.some((range) => !range.empty)) return indentMore(view);
  const unit = getIndentUnit(state);
  const changes = state.changeByRange((range) => {
    const line = state.doc.lineAt(range.head);
    const column = range.head - line.from;
    const spaces = ' '.repeat(unit - (column % unit));
    return {
      changes: { from: range.head, insert: spaces },
      range: EditorSelection.cursor(range.head + spaces.length),
    };
  });
  view.dispatch(state.update(changes, { scrollIntoView: true, userEvent: 'input.indent' }));
  return true;
}

/**
 * Highest precedence: the default keymap binds Mod-Enter to insertBlankLine, and the page's
 * "apply" shortcut must win over it. `apply` is called with nothing; it returns nothing.
 */
export function podplayKeymap(apply) {
  return Prec.highest(
    keymap.of([
      {
        key: 'Mod-Enter',
        preventDefault: true,
        run: () => {
          apply();
          return true;
        },
      },
      { key: 'Tab', run: indentOrInsertSpaces, shift: indentLess },
    ]),
  );
}
