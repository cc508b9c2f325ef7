// Shared set-up for the browser tests: a static server for dist/ on a free port, Debian's Chromium
// driven by playwright-core (never `npx playwright install`: it downloads a browser and fails
// offline), a fresh profile per browser, console errors collected, and a screenshot on failure.
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { page, problems };
}

/**
 * Runs `body(page)` for the test named `name`; on failure saves tests/e2e/artifacts/<name>.png
 * before rethrowing, so a red CI run shows what the page looked like.
 */
export async function withScreenshot(page, name, body) {
  try {
    await body();
    if (alwaysScreenshot) await screenshot(page, name);
  } catch (error) {
    const file = await screenshot(page, name).catch(() => null);
    if (file) error.message += `\n  screenshot: ${file}`;
    throw error;
  }
}

async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name.replace(/[^a-z0-9_-]+/gi, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
