// www/embed-example.html (copied into dist/ by the build): a docs-like page with two embedded
// playgrounds, one from a named scenario and one from an inline manifest.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoSeriousA11yViolations, launchBrowser, pageTest, startServer } from './harness.mjs';

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

/** The iframe's query as [name, value] pairs, in order (a bare `embed` has the value ''). */
async function frameQuery(page, testid) {
  const src = await page.getByTestId(testid).evaluate((frame) => frame.src);
  return [...new URL(src).searchParams];
}

pageTest('embed_example_frames_the_default_scenario_and_an_inline_manifest', () => browser.context, async ({ page }) => {
  const response = await page.goto(`${server.url}embed-example.html`);
  assert.equal(response?.status(), 200);
  assert.deepEqual(await frameQuery(page, 'embed-scenario'), [
    ['embed', ''],
    ['scenario', 'default'],
    ['autoplay', '1'],
    ['speed', '2'],
    ['panels', 'cluster,events'],
    ['lang', 'en'],
    ['theme', 'light'],
  ]);
  const inline = new Map(await frameQuery(page, 'embed-manifest'));
  assert.equal(inline.get('embed'), '');
  // The manifest survives URL encoding and is the YAML shown on the page.
  const manifest = inline.get('manifest') ?? '';
  assert.match(manifest, /^apiVersion: apps\/v1\nkind: Deployment\n/);
  assert.equal(manifest.trimEnd(), (await page.locator('pre').first().textContent())?.trimEnd());
  // Both frames load the playground itself (the app's index.html), not a 404.
  for (const frame of page.frames().slice(1)) {
    await frame.waitForLoadState('domcontentloaded');
    assert.equal(await frame.title(), 'podplay');
  }
  await assertNoSeriousA11yViolations(page);
});
