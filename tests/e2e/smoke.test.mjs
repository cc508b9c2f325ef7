// The playground loads in a real browser: the wasm starts, the page renders, nothing complains.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, startServer, withScreenshot } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('page_loads_and_shows_the_podplay_heading', async () => {
  const { page } = await openPage(browser.context);
  await withScreenshot(page, 'page_loads_and_shows_the_podplay_heading', async () => {
    await page.goto(server.url);
    // The heading is rendered by the wasm app, so seeing it proves the module loaded and ran.
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor({ timeout: 15_000 });
    assert.equal((await heading.textContent())?.trim(), 'podplay');
    assert.equal(await page.title(), 'podplay');
  });
  await page.close();
});

test('cluster_view_is_rendered', async () => {
  const { page } = await openPage(browser.context);
  await withScreenshot(page, 'cluster_view_is_rendered', async () => {
    await page.goto(server.url);
    const cluster = page.getByTestId('cluster');
    await cluster.waitFor({ timeout: 15_000 });
    assert.equal(await cluster.evaluate((node) => node.tagName), 'SECTION');
    assert.match((await cluster.textContent()) ?? '', /\S/);
  });
  await page.close();
});

test('page_load_has_no_console_errors_or_failed_requests', async () => {
  const { page, problems } = await openPage(browser.context);
  await withScreenshot(page, 'page_load_has_no_console_errors_or_failed_requests', async () => {
    await page.goto(server.url, { waitUntil: 'networkidle' });
    await page.getByTestId('cluster').waitFor({ timeout: 15_000 });
    assert.deepEqual(problems, []);
  });
  await page.close();
});

test('wasm_is_served_as_application_wasm', async () => {
  const { page } = await openPage(browser.context);
  const wasm = page.waitForResponse((response) => response.url().endsWith('.wasm'));
  await page.goto(server.url);
  const response = await wasm;
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-type'], 'application/wasm');
  await page.close();
});
