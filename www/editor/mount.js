// One editor instance and the handle the app drives it through (see README.md for the contract).
import { Annotation, Compartment, EditorState, Transaction } from '@codemirror/state';
import {
  EditorView,
  crosshairCursor,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, isolateHistory } from '@codemirror/commands';
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, indentUnit } from '@codemirror/language';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';

import { toLintDiagnostics } from './diagnostics.js';
import { podplayKeymap } from './keys.js';
import { themeExtensions } from './themes.js';

/** onChange waits this long after the last keystroke (the app re-validates on each call). */
export const CHANGE_DEBOUNCE_MS = 150;

/** Marks transactions made by setValue, which must not echo back through onChange. */
const fromApp = Annotation.define();

const darkQuery = '(prefers-color-scheme: dark)';

export function mount(parent, options = {}) {
  if (!parent || typeof parent.appendChild !== 'function') {
    throw new TypeError('podplayEditor.mount: parent must be a DOM element');
  }
  const opts = options ?? {};
  const onChange = typeof opts.onChange === 'function' ? opts.onChange : null;
  const onApply = typeof opts.onApply === 'function' ? opts.onApply : null;
  const label = typeof opts.label === 'string' && opts.label ? opts.label : 'Manifest (YAML)';

  // Follow the system's colour scheme until the app says otherwise (a boolean `dark` or setTheme).
  const media = typeof matchMedia === 'function' ? matchMedia(darkQuery) : null;
  let followSystem = typeof opts.dark !== 'boolean';
  let dark = followSystem ? Boolean(media?.matches) : opts.dark;

  let pending = null;
  const flushChange = () => {
    if (pending === null) return;
    clearTimeout(pending);
    pending = null;
    if (onChange) onChange(view.state.doc.toString());
  };
  const scheduleChange = () => {
    if (!onChange) return;
    if (pending !== null) clearTimeout(pending);
    pending = setTimeout(flushChange, CHANGE_DEBOUNCE_MS);
  };
  // The app reads the text it applies through onChange: a change still waiting for its debounce
  // is delivered first, so Ctrl+Enter right after typing applies what is on screen.
  const apply = () => {
    flushChange();
    if (onApply) onApply();
  };

  const theme = new Compartment();
  const state = EditorState.create({
    doc: typeof opts.doc === 'string' ? opts.doc : '',
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      foldGutter(),
      lintGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      dropCursor(),
      EditorState.allowMultipleSelections.of(true),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      rectangularSelection(),
      crosshairCursor(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      EditorState.tabSize.of(2),
      indentUnit.of('  '),
      yaml(),
      podplayKeymap(apply),
      keymap.of([
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...foldKeymap,
        ...lintKeymap,
      ]),
      EditorState.readOnly.of(Boolean(opts.readOnly)),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      theme.of(themeExtensions(dark)),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        if (update.transactions.every((tr) => tr.annotation(fromApp))) return;
        scheduleChange();
      }),
    ],
  });
  const view = new EditorView({ state, parent });
  view.dom.dataset.testid = 'editor';

  const applyTheme = () => {
    view.dom.dataset.theme = dark ? 'dark' : 'light';
    view.dispatch({ effects: theme.reconfigure(themeExtensions(dark)) });
  };
  view.dom.dataset.theme = dark ? 'dark' : 'light';
  const onSystemTheme = (event) => {
    if (!followSystem || dark === event.matches) return;
    dark = event.matches;
    applyTheme();
  };
  media?.addEventListener?.('change', onSystemTheme);

  let destroyed = false;
  return {
    getValue() {
      return view.state.doc.toString();
    },
    /**
     * Replaces the whole document as one undoable step, isolated from the user's typing (undo
     * brings back exactly the text before). Diagnostics are cleared: they described the old text.
     */
    setValue(text) {
      if (destroyed) return;
      const insert = text == null ? '' : String(text);
      const current = view.state.doc.toString();
      if (insert === current) return;
      const head = Math.min(view.state.selection.main.head, insert.length);
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert },
        selection: { anchor: head },
        annotations: [fromApp.of(true), isolateHistory.of('full'), Transaction.userEvent.of('set')],
      });
      view.dispatch(setDiagnostics(view.state, []));
    },
    setDiagnostics(list) {
      if (destroyed) return;
      view.dispatch(setDiagnostics(view.state, toLintDiagnostics(view.state.doc, list)));
    },
    setTheme(value) {
      if (destroyed) return;
      followSystem = false;
      const next = Boolean(value);
      if (next === dark) return;
      dark = next;
      applyTheme();
    },
    focus() {
      if (!destroyed) view.focus();
    },
    /** Removes the editor from the page. A change still inside its debounce is dropped. */
    destroy() {
      if (destroyed) return;
      destroyed = true;
      if (pending !== null) clearTimeout(pending);
      pending = null;
      media?.removeEventListener?.('change', onSystemTheme);
      view.destroy();
    },
  };
}
