// The CodeMirror bundle (dist/editor.js, built from www/editor/) in Chromium, on a bare page of
// its own: the contract in www/editor/README.md, as the app calls it through wasm-bindgen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertNoSeriousA11yViolations, launchBrowser, pageTest } from './harness.mjs';
import { buildEditor } from '../../www/editor/build.mjs';

const origin = 'http://podplay.test';
const page_html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>editor test</title></head>
<body><main><h1>editor</h1><div id="host" style="height:300px"></div></main></body></html>`;

const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessprobe: {}
`;

let browser;
let bundle;

before(async () => {
  // The cached build from the last `cargo xtask build`, or a fresh one when the sources changed.
  bundle = readFileSync((await buildEditor()).file);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The bare page with the bundle loaded; resolves once `podplay-editor-ready` has fired. */
async function loadEditorPage(page, { colorScheme = 'light' } = {}) {
  await page.emulateMedia({ colorScheme });
  await page.route(`${origin}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/editor.js') {
      return route.fulfill({ body: bundle, contentType: 'text/javascript; charset=utf-8' });
    }
    return route.fulfill({ body: page_html, contentType: 'text/html; charset=utf-8' });
  });
  await page.goto(`${origin}/`);
  // Loaded the way the app loads it: a script element added after first paint.
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        window.readyEvents = 0;
        window.addEventListener('podplay-editor-ready', () => {
          window.readyEvents += 1;
          resolve(typeof window.podplayEditor?.mount);
        });
        const script = document.createElement('script');
        script.src = '/editor.js';
        script.onerror = () => reject(new Error('editor.js failed to load'));
        document.head.append(script);
      }),
  );
}

/** Mounts an editor in #host with `options` plus recording callbacks; `window.calls` records them. */
async function mountEditor(page, options = {}) {
  await page.evaluate((options) => {
    window.calls = { change: [], apply: 0, changesAtApply: [] };
    window.handle = window.podplayEditor.mount(document.getElementById('host'), {
      doc: '',
      ...options,
      onChange: (text) => window.calls.change.push(text),
      onApply: () => {
        window.calls.apply += 1;
        window.calls.changesAtApply.push(window.calls.change.length);
      },
    });
  }, options);
}

const ctx = () => browser.context;

/** The ```html block of www/editor/README.md: the loader index.html is told to include. */
function readmeLoader() {
  const readme = readFileSync(new URL('../../www/editor/README.md', import.meta.url), 'utf8');
  const block = /```html\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'www/editor/README.md has no ```html block');
  return block[1];
}

pageTest('readme_loader_fetches_the_bundle_once_and_resolves_to_the_api', ctx, async ({ page, problems }) => {
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.route(`${origin}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/editor.js') {
      return route.fulfill({ body: bundle, contentType: 'text/javascript; charset=utf-8' });
    }
    const html = page_html.replace('</head>', `${readmeLoader()}</head>`);
    return route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' });
  });
  // From an app route, where a relative script URL would resolve to /scenario/editor.js.
  await page.goto(`${origin}/scenario/probes`);
  assert.equal(requests.includes('/editor.js'), false, 'the page must not load the editor by itself');
  const kinds = await page.evaluate(async () => {
    const [a, b] = await Promise.all([window.podplayLoadEditor(), window.podplayLoadEditor()]);
    const c = await window.podplayLoadEditor();
    return [a === b && b === c, typeof a.mount];
  });
  assert.deepEqual(kinds, [true, 'function']);
  assert.deepEqual(requests.filter((path) => path === '/editor.js'), ['/editor.js']);
  assert.deepEqual(problems, []);
});

pageTest('editor_bundle_publishes_mount_and_fires_ready_once', ctx, async ({ page, problems }) => {
  assert.equal(await loadEditorPage(page), 'function');
  assert.equal(await page.evaluate(() => window.readyEvents), 1);
  await mountEditor(page, { doc: manifest });
  assert.equal(await page.evaluate(() => window.handle.getValue()), manifest);
  assert.deepEqual(problems, []);
});

pageTest('set_diagnostics_shows_gutter_marker_underline_and_message', ctx, async ({ page }) => {
  await loadEditorPage(page);
  await mountEditor(page, { doc: manifest });
  const message = 'error: strict decoding error: unknown field "spec.containers[0].readinessprobe"';
  await page.evaluate(
    (message) =>
      window.handle.setDiagnostics([
        { line: 9, col: 5, message, severity: 'error' },
        { line: 8, col: 12, message: 'image tag is not pinned by digest', severity: 'warning' },
      ]),
    message,
  );
  await page.locator('.cm-gutter-lint .cm-lint-marker-error').waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('.cm-gutter-lint .cm-lint-marker-warning').count(), 1);
  // The squiggle covers the mapping key the error names (a better span than the whole line).
  const underline = page.locator('.cm-lintRange-error');
  assert.equal((await underline.allTextContents()).join(''), 'readinessprobe');
  assert.equal((await page.locator('.cm-lintRange-warning').allTextContents()).join(''), 'nginx:1.27');
  // Hovering the squiggle shows the message.
  await underline.first().hover();
  const tooltip = page.locator('.cm-tooltip-lint');
  await tooltip.waitFor({ timeout: 5_000 });
  assert.match((await tooltip.textContent()) ?? '', /unknown field "spec\.containers\[0\]\.readinessprobe"/);
  // An empty list clears them.
  await page.evaluate(() => window.handle.setDiagnostics([]));
  await page.locator('.cm-lintRange-error').waitFor({ state: 'detached', timeout: 5_000 });
});

pageTest('set_diagnostics_never_throws_on_odd_input', ctx, async ({ page, problems }) => {
  await loadEditorPage(page);
  await mountEditor(page, { doc: 'a: 1\n' });
  await page.evaluate(() => {
    window.handle.setDiagnostics([
      { line: 99, col: 99, message: 'past the end', severity: 'error' },
      { line: 0, col: -3, message: 'before the start', severity: 'fatal' },
      { line: 'x', message: null },
      null,
      42,
    ]);
    window.handle.setDiagnostics(undefined);
    window.handle.setDiagnostics([{ line: 1, col: 1, message: 'kept', severity: 'warning' }]);
  });
  assert.equal(await page.locator('.cm-lintRange-warning').count(), 1);
  assert.deepEqual(problems, []);
});

pageTest('ctrl_enter_calls_on_apply_after_delivering_the_pending_change', ctx, async ({ page }) => {
  await loadEditorPage(page);
  await mountEditor(page, { doc: 'a: 1\n' });
  await page.evaluate(() => window.handle.focus());
  await page.keyboard.press('Control+End');
  await page.keyboard.type('b: 2');
  await page.keyboard.press('Control+Enter');
  const calls = await page.evaluate(() => window.calls);
  assert.equal(calls.apply, 1);
  // The typed text reached onChange before onApply ran, without waiting for the debounce.
  assert.deepEqual(calls.changesAtApply, [1]);
  assert.deepEqual(calls.change, ['a: 1\nb: 2']);
  // Mod-Enter applies; it does not also insert a blank line (the default keymap's binding).
  assert.equal(await page.evaluate(() => window.handle.getValue()), 'a: 1\nb: 2');
  await page.keyboard.press('Meta+Enter');
  assert.equal(await page.evaluate(() => window.calls.apply), 1, 'Meta is not Mod on Linux');
});

pageTest('on_change_is_debounced_150_ms_and_not_called_for_set_value', ctx, async ({ page }) => {
  await loadEditorPage(page);
  await mountEditor(page, { doc: '' });
  await page.evaluate(() => window.handle.focus());
  await page.keyboard.type('kind: Pod', { delay: 10 });
  await page.waitForTimeout(400);
  assert.deepEqual(await page.evaluate(() => window.calls.change), ['kind: Pod']);
  await page.evaluate(() => window.handle.setValue('kind: Service\n'));
  await page.waitForTimeout(400);
  assert.deepEqual(await page.evaluate(() => window.calls.change), ['kind: Pod']);
});

pageTest('tab_indents_two_spaces_and_enter_keeps_the_indentation', ctx, async ({ page }) => {
  await loadEditorPage(page);
  await mountEditor(page, { doc: '' });
  await page.evaluate(() => window.handle.focus());
  await page.keyboard.type('spec:');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.type('replicas: 3');
  await page.keyboard.press('Enter');
  await page.keyboard.type('paused: false');
  const text = await page.evaluate(() => window.handle.getValue());
  // Enter after `spec:` indents by itself in YAML mode; Tab then adds two more spaces at most.
  const lines = text.split('\n');
  assert.equal(lines[0], 'spec:');
  assert.match(lines[1], /^( {2}| {4})replicas: 3$/);
  const indent = lines[1].length - lines[1].trimStart().length;
  assert.equal(lines[2], `${' '.repeat(indent)}paused: false`, 'Enter keeps the indentation');
  assert.doesNotMatch(text, /\t/, 'no literal tab is ever inserted');
});

pageTest('set_value_is_one_undo_step_and_clears_diagnostics', ctx, async ({ page }) => {
  await loadEditorPage(page);
  await mountEditor(page, { doc: 'a: 1\n' });
  await page.evaluate(() => {
    window.handle.setDiagnostics([{ line: 1, col: 1, message: 'x', severity: 'error' }]);
    window.handle.setValue('kind: Pod\nmetadata:\n  name: web\n');
  });
  assert.equal(await page.locator('.cm-lintRange-error').count(), 0);
  await page.evaluate(() => window.handle.focus());
  await page.keyboard.press('Control+z');
  assert.equal(await page.evaluate(() => window.handle.getValue()), 'a: 1\n');
  await page.keyboard.press('Control+Shift+z');
  assert.equal(await page.evaluate(() => window.handle.getValue()), 'kind: Pod\nmetadata:\n  name: web\n');
});

pageTest('theme_follows_prefers_color_scheme_until_set_theme', ctx, async ({ page }) => {
  await loadEditorPage(page, { colorScheme: 'dark' });
  await mountEditor(page, { doc: 'a: 1\n' });
  const editor = page.getByTestId('editor');
  const look = () =>
    editor.evaluate((node) => [node.dataset.theme, getComputedStyle(node).backgroundColor]);
  assert.deepEqual(await look(), ['dark', 'rgb(13, 17, 23)']);
  // Following the system: a change of the scheme switches the editor too (the media query's
  // change event arrives asynchronously: wait for it rather than race it).
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(
    () => document.querySelector('[data-testid=editor]')?.dataset.theme === 'light',
    null,
    { timeout: 5_000 },
  );
  assert.deepEqual(await look(), ['light', 'rgb(255, 255, 255)']);
  await page.evaluate(() => window.handle.setTheme(true));
  assert.deepEqual(await look(), ['dark', 'rgb(13, 17, 23)']);
  // After setTheme the app decides: the system scheme no longer matters.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.emulateMedia({ colorScheme: 'light' });
  // Give a (wrong) reaction to the change events the time to happen before checking.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  assert.equal((await look())[0], 'dark');
  // The document and its history survive a theme switch.
  assert.equal(await page.evaluate(() => window.handle.getValue()), 'a: 1\n');
});

pageTest('read_only_editor_ignores_typing_and_destroy_removes_it', ctx, async ({ page }) => {
  await loadEditorPage(page);
  await mountEditor(page, { doc: 'a: 1\n', readOnly: true, dark: false });
  await page.evaluate(() => window.handle.focus());
  await page.keyboard.type('zzz');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => window.handle.getValue()), 'a: 1\n');
  await page.evaluate(() => window.handle.destroy());
  assert.equal(await page.getByTestId('editor').count(), 0);
  // Calls after destroy are ignored, not errors.
  await page.evaluate(() => {
    window.handle.setValue('x');
    window.handle.setDiagnostics([]);
    window.handle.destroy();
  });
});

for (const colorScheme of ['light', 'dark']) {
  pageTest(`editor_has_no_serious_a11y_violations_${colorScheme}`, ctx, async ({ page }) => {
    await loadEditorPage(page, { colorScheme });
    await mountEditor(page, { doc: manifest });
    await page.evaluate(() =>
      window.handle.setDiagnostics([{ line: 9, col: 5, message: 'unknown field', severity: 'error' }]),
    );
    await assertNoSeriousA11yViolations(page, '#host');
  });
}

test('editor_bundle_stays_small', async () => {
  // 119 KB gzip measured for CodeMirror's YAML basics (shared/design/toolchain.md); this bundle adds
  // search, folding and bracket closing. A jump past 160 KB means a dependency crept in.
  const { gzipSync } = await import('node:zlib');
  const gzip = gzipSync(bundle, { level: 6 }).length;
  assert.ok(gzip < 160 * 1024, `editor.js is ${(gzip / 1024).toFixed(1)} KB gzip`);
});
