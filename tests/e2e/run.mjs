// Runs every tests/e2e/*.test.mjs with node's test runner and closes with `N passed, N failed`
// (the line `cargo xtask test` repeats at the end). Exit status 1 when anything failed.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finished } from 'node:stream/promises';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.test.mjs'))
  .filter((name) => only.length === 0 || only.some((part) => name.includes(part)))
  .sort()
  .map((name) => join(here, name));

let passed = 0;
let failed = 0;
// Skipped tests (t.skip: a feature the page does not have yet) are neither passed nor failed.
let skipped = 0;
// Count tests, not suites; each file also reports as a wrapper test around its own tests, and
// only leaves (tests with no subtests) are counted.
const open = new Map();
function key(data) {
  return `${data.file}\u0000${data.nesting}`;
}

const stream = run({ files, concurrency: 1, timeout: 120_000 });
stream.on('test:start', (data) => {
  // A test that starts a child at a deeper nesting level is a parent, not a leaf.
  for (let level = 0; level < data.nesting; level += 1) {
    const parent = open.get(`${data.file}\u0000${level}`);
    if (parent) parent.hasChildren = true;
  }
  open.set(key(data), { hasChildren: false });
});
function settle(data, outcome) {
  const record = open.get(key(data));
  open.delete(key(data));
  const isSuite = data.details?.type === 'suite' || record?.hasChildren;
  if (isSuite) {
    // A wrapper that failed without a failing child (a crash in before(), a syntax error) counts.
    if (outcome === 'fail' && !record?.childFailed) failed += 1;
    return;
  }
  if (outcome === 'pass') passed += 1;
  else if (outcome === 'skip') skipped += 1;
  else failed += 1;
  for (let level = 0; level < data.nesting; level += 1) {
    const parent = open.get(`${data.file}\u0000${level}`);
    if (parent && outcome === 'fail') parent.childFailed = true;
  }
}
stream.on('test:pass', (data) => settle(data, data.skip || data.todo ? 'skip' : 'pass'));
// A `todo` test (a known gap, written down in the test) is reported, never counted as failed.
stream.on('test:fail', (data) => settle(data, data.todo ? 'skip' : 'fail'));

const report = stream.compose(spec);
report.pipe(process.stdout, { end: false });
await finished(report);
if (files.length === 0) failed += 1;
if (skipped > 0) console.log(`${skipped} skipped or todo`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
