// Shared set-up for the browser tests: a static server for dist/ on a free port, Debian's Chromium
// driven by playwright-core (never `npx playwright install`: it downloads a browser and fails
// offline), a fresh profile per browser, console errors collected, a screenshot and the console
// log on failure, URLs with the app's parameters, and an axe-core accessibility check.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const distDir = process.env.PODPLAY_DIST ?? join(repoRoot, 'dist');
export const artifactsDir = join(here, 'artifacts');
export const chromiumPath = process.env.PODPLAY_CHROMIUM ?? '/usr/bin/chromium';
/// Set PODPLAY_E2E_SCREENSHOTS=always to keep a screenshot of every test, not only failures.
const alwaysScreenshot = process.env.PODPLAY_E2E_SCREENSHOTS === 'always';

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Serves dist/ on 127.0.0.1 at a free port (so a running `cargo xtask serve` never collides). */
export async function startServer(root = distDir) {
  const index = join(root, 'index.html');
  try {
    statSync(index);
  } catch {
    throw new Error(`${index} is missing: build first (cargo xtask build)`);
  }
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
    } catch {
      // Routes without an extension belong to the app; real missing files are 404s.
      if (extname(file) !== '') {
        response.writeHead(404).end('not found');
        return;
      }
      file = index;
    }
    try {
      const body = readFileSync(file);
      response.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/** Launches Chromium headless with a fresh user-data-dir; close() also removes the profile. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'podplay-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a page that records everything a user would call broken: console errors, uncaught
 * exceptions (a Rust panic surfaces as one), and failed or 4xx/5xx requests.
 */
export async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  // Everything the page said, in order, for the artifact saved when a test fails.
  const log = [];
  pageLogs.set(page, log);
  const started = Date.now();
  const note = (line) => log.push(`+${String(Date.now() - started).padStart(6)} ms ${line}`);
  page.on('console', (message) => {
    note(`console.${message.type()}: ${message.text()}`);
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    note(`uncaught: ${error.stack ?? error.message}`);
    problems.push(`uncaught: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    const line = `request failed: ${request.url()} (${request.failure()?.errorText})`;
    note(line);
    problems.push(line);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      note(`HTTP ${response.status()}: ${response.url()}`);
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  return { page, problems, log };
}

/** page -> its console log lines (pages made by openPage). */
const pageLogs = new WeakMap();

/**
 * Runs `body(page)` for the test named `name`; on failure saves tests/e2e/artifacts/<name>.png and
 * <name>.console.log (everything the page logged, for pages made by openPage) before rethrowing,
 * so a red CI run shows what the page looked like and said.
 */
export async function withScreenshot(page, name, body) {
  try {
    await body();
    if (alwaysScreenshot) await screenshot(page, name);
  } catch (error) {
    const file = await screenshot(page, name).catch(() => null);
    if (file) error.message += `\n  screenshot: ${file}`;
    const log = saveConsoleLog(page, name);
    if (log) error.message += `\n  console log: ${log}`;
    throw error;
  }
}

/**
 * A browser test with the usual wrapping: a fresh page from `context()` (a function, since the
 * browser is usually launched in `before`), artifacts on failure, the page closed afterwards.
 * `body` receives `{ page, problems, log }`.
 *
 *   pageTest('editor_marks_errors', () => browser.context, async ({ page }) => { ... });
 */
export function pageTest(name, context, body, options = {}) {
  return test(name, options, async () => {
    const opened = await openPage(context());
    try {
      await withScreenshot(opened.page, name, () => body(opened));
    } finally {
      await opened.page.close().catch(() => {});
    }
  });
}

function artifactName(name) {
  return name.replace(/[^a-z0-9_-]+/gi, '_');
}

async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${artifactName(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

function saveConsoleLog(page, name) {
  const log = pageLogs.get(page);
  if (!log) return null;
  try {
    mkdirSync(artifactsDir, { recursive: true });
    const file = join(artifactsDir, `${artifactName(name)}.console.log`);
    writeFileSync(file, log.length ? `${log.join('\n')}\n` : '(the page logged nothing)\n');
    return file;
  } catch {
    return null;
  }
}

/**
 * The app's URL with its parameters, in the form the app documents: a `true` value is a bare
 * flag (`?embed&scenario=default`), other values are URL-encoded, null/undefined/false are left
 * out, and order is kept.
 *
 *   appUrl(server.url, { embed: true, scenario: 'default', speed: 2 })
 *     -> http://127.0.0.1:PORT/?embed&scenario=default&speed=2
 */
export function appUrl(base, params = {}) {
  const url = new URL(base);
  const parts = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === false) continue;
    const name = encodeURIComponent(key);
    parts.push(value === true ? name : `${name}=${encodeURIComponent(String(value))}`);
  }
  url.search = parts.length ? `?${parts.join('&')}` : '';
  return url.href;
}

/**
 * Loads the app with `params` (see appUrl) and waits until the wasm app has rendered something:
 * `waitFor` is a selector (default: any element inside <body> other than <noscript>/<script>),
 * or null to return right after navigation.
 */
export async function gotoApp(page, base, params = {}, { waitFor = APP_RENDERED, timeout = 15_000 } = {}) {
  const response = await page.goto(appUrl(base, params));
  if (waitFor) await page.waitForSelector(waitFor, { timeout });
  return response;
}

const APP_RENDERED = 'body > :not(noscript):not(script):not(link)';

const require = createRequire(import.meta.url);

/**
 * Runs axe-core (npm `axe-core`, injected as a script: @axe-core/playwright wants the full
 * playwright package) on the page, or on `context` (a selector or axe context object), and fails
 * with one line per node when any violation is serious or critical. Minor and moderate ones are
 * returned, not fatal, so a test may log them. The contents of iframes are not checked (axe is
 * injected into the top page only; check a framed page by loading it directly).
 */
export async function assertNoSeriousA11yViolations(page, context = undefined) {
  const hasAxe = await page.evaluate(() => typeof window.axe?.run === 'function');
  if (!hasAxe) await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(
    async (ctx) =>
      (
        await window.axe.run(ctx ?? document, { resultTypes: ['violations'], iframes: false })
      ).violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      })),
    context ?? null,
  );
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    const lines = serious.flatMap((v) => [
      `${v.impact}: ${v.id} (${v.help})`,
      ...v.nodes.map((n) => `    at ${n.target}: ${(n.summary ?? '').replace(/\s+/g, ' ')}`),
    ]);
    throw new Error(`accessibility violations:\n  ${lines.join('\n  ')}`);
  }
  return violations;
}
