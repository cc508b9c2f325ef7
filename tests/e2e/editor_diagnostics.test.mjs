// www/editor/diagnostics.js without a browser: where a 1-based line/col diagnostic is underlined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Text } from '@codemirror/state';
import { spanOf, toLintDiagnostics } from '../../www/editor/diagnostics.js';

const doc = Text.of([
  'spec:',
  '  containers:',
  '  - name: web   # the app',
  '    readinessprobe: {}',
  '',
  '    image: "nginx:1.27"',
]);

/** The underlined text. */
function underlined(line, col) {
  const { from, to } = spanOf(doc, line, col);
  return doc.sliceString(from, to);
}

test('a_column_at_a_mapping_key_underlines_the_key', () => {
  assert.equal(underlined(4, 5), 'readinessprobe');
  assert.equal(underlined(6, 5), 'image');
});

test('a_column_at_a_value_or_list_item_underlines_the_rest_of_the_line_without_its_comment', () => {
  assert.equal(underlined(6, 12), '"nginx:1.27"');
  assert.equal(underlined(3, 3), '- name: web');
});

test('positions_outside_the_document_are_clamped_not_thrown', () => {
  assert.deepEqual(spanOf(doc, 5, 1), { from: doc.line(5).from, to: doc.line(5).from });
  // Past the end: the last line; a column in the indentation starts at the first character.
  assert.equal(underlined(99, 1), 'image');
  assert.equal(underlined(4, 1), 'readinessprobe');
  assert.equal(underlined(0, -4), 'spec');
  assert.equal(underlined('x', undefined), 'spec');
  assert.equal(spanOf(doc, 1, 500).from, doc.line(1).to);
});

test('bad_entries_are_dropped_and_unknown_severities_count_as_errors', () => {
  const out = toLintDiagnostics(doc, [null, 7, { line: 4, col: 5, message: 'm', severity: 'fatal' }]);
  assert.deepEqual(out, [{ from: doc.line(4).from + 4, to: doc.line(4).from + 18, severity: 'error', message: 'm' }]);
  assert.deepEqual(toLintDiagnostics(doc, 'nope'), []);
});
