// Performance budgets of the playground, measured in headless Chromium against the built dist/:
//
//   (a) bytes fetched before the first pod card ([data-testid=pod-card]) appears: wasm, JS, CSS,
//       HTML, as gzip (each response body gzipped here at level 6, what servers do on the fly; the
//       test server sends them uncompressed), and the lazily loaded editor bundle separately;
//   (b) time from navigation start to the first pod card;
//   (c) with a 100-pod Deployment at 10x speed, the p95 of requestAnimationFrame deltas over 5 s;
//   (d) seek time, from `window.podplayDebug.seek(ms)` (elapsed ms), when the app exposes it.
//
// `node tests/e2e/budgets.mjs [--url URL] [--strict]` prints a table and writes target/budgets.json
// (`cargo xtask bench-web` runs it). Missing pieces are reported ("no pod card", "not available"),
// never a crash; --strict exits 1 when a measured value is over its budget. The e2e suite imports
// measureBudgets() for loose assertions (budgets.test.mjs).
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { appUrl, distDir, launchBrowser, repoRoot, startServer } from './harness.mjs';

export const POD_CARD = '[data-testid=pod-card]';
export const EDITOR_BUNDLE = 'editor.js';

/** The budgets, and how each is compared. */
// The issue's budgets (issue 3). `cargo xtask bench-web` reports against these; only `--strict`
// fails on them (the e2e suite checks looser limits, since this machine's speed swings).
export const BUDGETS = {
  firstLoadGzipKB: 400,
  editorGzipKB: 160,
  firstPodCardMs: 1_500,
  frameP95Ms: 16,
  seekMs: 50,
};

/** The seek budget's session: 50 pods with probes, simulated for an hour. */
export const FIFTY_PODS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: fifty
spec:
  replicas: 50
  selector:
    matchLabels:
      app: fifty
  template:
    metadata:
      labels:
        app: fifty
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet:
            path: /
            port: 80
          periodSeconds: 10
        livenessProbe:
          httpGet:
            path: /
            port: 80
          periodSeconds: 10
`;

/** A 100-pod workload for the frame-time measurement (two default nodes hold 110 pods each). */
export const HUNDRED_PODS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: load
spec:
  replicas: 100
  selector:
    matchLabels:
      app: load
  template:
    metadata:
      labels:
        app: load
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet:
            path: /
            port: 80
`;

// Installed before any page script: notes when the first pod card enters the DOM, in the
// page's own clock (ms since navigation start), so polling latency does not count.
function watchFirstPodCard(selector) {
  window.__podplayBudget = { firstPodCardMs: null };
  const check = () => {
    if (window.__podplayBudget.firstPodCardMs === null && document.querySelector(selector)) {
      window.__podplayBudget.firstPodCardMs = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
}

function kind(url) {
  const path = new URL(url).pathname;
  if (path.endsWith('/' + EDITOR_BUNDLE)) return 'editor';
  const ext = path.includes('.') ? path.slice(path.lastIndexOf('.') + 1) : 'html';
  return { wasm: 'wasm', js: 'js', mjs: 'js', css: 'css', html: 'html' }[ext] ?? 'other';
}

/** (a) and (b): one cold load of the page. */
async function measureFirstLoad(context, baseUrl, timeoutMs) {
  const page = await context.newPage();
  await page.addInitScript(watchFirstPodCard, POD_CARD);
  const bodies = new Map();
  const pending = [];
  page.on('response', (response) => {
    pending.push(
      response
        .body()
        .then((body) => bodies.set(response.url(), { raw: body.length, gzip: gzipSync(body, { level: 6 }).length }))
        .catch(() => {}),
    );
  });
  await page.goto(appUrl(baseUrl));
  let firstPodCardMs = null;
  try {
    await page.waitForSelector(POD_CARD, { timeout: timeoutMs });
    firstPodCardMs = await page.evaluate(() => window.__podplayBudget.firstPodCardMs);
  } catch {
    // No pod card: measure what the page fetched once the network went quiet instead.
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
  }
  const timing = await page.evaluate(() => ({
    resources: performance
      .getEntriesByType('resource')
      .map((entry) => ({ url: entry.name, start: entry.startTime, end: entry.responseEnd })),
    firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  }));
  await Promise.all(pending);
  const cutoff = firstPodCardMs ?? Infinity;
  // The document itself has no resource entry; it always counts.
  const fetched = [{ url: page.url().split('?')[0], start: 0, end: 0 }, ...timing.resources].filter(
    (entry) => entry.end <= cutoff,
  );
  const byKind = {};
  let editorFetchedAtMs = null;
  for (const entry of timing.resources) {
    if (kind(entry.url) === 'editor') editorFetchedAtMs = entry.start;
  }
  for (const entry of fetched) {
    const k = kind(entry.url);
    if (k === 'editor') continue;
    const size = bodies.get(entry.url) ?? bodies.get(entry.url.split('#')[0]) ?? { raw: 0, gzip: 0 };
    byKind[k] ??= { files: 0, raw: 0, gzip: 0 };
    byKind[k].files += 1;
    byKind[k].raw += size.raw;
    byKind[k].gzip += size.gzip;
  }
  const total = Object.values(byKind).reduce(
    (sum, x) => ({ files: sum.files + x.files, raw: sum.raw + x.raw, gzip: sum.gzip + x.gzip }),
    { files: 0, raw: 0, gzip: 0 },
  );
  await page.close();
  return {
    podCard: firstPodCardMs !== null,
    firstPodCardMs: firstPodCardMs === null ? null : Math.round(firstPodCardMs),
    firstContentfulPaintMs: timing.firstContentfulPaint === null ? null : Math.round(timing.firstContentfulPaint),
    counted: firstPodCardMs === null ? 'no pod card: until network idle' : 'until the first pod card',
    byKind,
    total,
    editorFetchedAtMs: editorFetchedAtMs === null ? null : Math.round(editorFetchedAtMs),
  };
}

/** The editor bundle's size: the served file from dist/ (it is not part of the first load). */
function measureEditorBundle(root) {
  const file = join(root, EDITOR_BUNDLE);
  if (!existsSync(file)) return null;
  const body = readFileSync(file);
  return { raw: body.length, gzip: gzipSync(body, { level: 6 }).length };
}

/** (c) rAF deltas over `windowMs` with 100 pods playing at 10x. */
async function measureFrames(context, baseUrl, { windowMs, timeoutMs }) {
  const page = await context.newPage();
  await page.goto(appUrl(baseUrl, { manifest: HUNDRED_PODS, autoplay: 1, speed: 10 }));
  const podCard = await page
    .waitForSelector(POD_CARD, { timeout: timeoutMs })
    .then(() => true)
    .catch(() => false);
  const frames = await page.evaluate(
    (windowMs) =>
      new Promise((resolve) => {
        const deltas = [];
        let last = null;
        const end = performance.now() + windowMs;
        const tick = (now) => {
          if (last !== null) deltas.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(tick);
          else resolve(deltas);
        };
        requestAnimationFrame(tick);
      }),
    windowMs,
  );
  const podCards = await page.locator(POD_CARD).count();
  await page.close();
  const sorted = [...frames].sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);
  const round = (x) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    podCard,
    podCards,
    frames: frames.length,
    p50Ms: round(pct(50)),
    p95Ms: round(pct(95)),
    maxMs: round(sorted.at(-1) ?? null),
  };
}

/** (d) seeks through `window.podplayDebug.seek(ms)`, which returns the elapsed ms (or a promise of it). */
async function measureSeek(context, baseUrl, { timeoutMs }) {
  const page = await context.newPage();
  await page.goto(appUrl(baseUrl, { manifest: FIFTY_PODS, speed: 10 }));
  await page.waitForSelector(POD_CARD, { timeout: timeoutMs }).catch(() => {});
  const result = await page.evaluate(async () => {
    const seek = window.podplayDebug?.seek;
    if (typeof seek !== 'function') return { available: false };
    // A one-hour timeline first (not timed), then seeks all over it.
    if (typeof window.podplayDebug.runTo === 'function') window.podplayDebug.runTo(3_600_000);
    const targets = [0, 1_800_000, 600_000, 3_540_000, 60_000, 3_600_000, 2_710_000];
    const runs = [];
    for (const target of targets) {
      const started = performance.now();
      let reported;
      try {
        reported = await seek.call(window.podplayDebug, target);
      } catch (error) {
        return { available: true, error: String(error?.message ?? error) };
      }
      const measured = performance.now() - started;
      runs.push({ toMs: target, elapsedMs: typeof reported === 'number' ? reported : measured });
    }
    return { available: true, runs };
  });
  await page.close();
  if (result.runs) {
    result.maxMs = Math.round(Math.max(...result.runs.map((run) => run.elapsedMs)) * 10) / 10;
  }
  return result;
}

/**
 * Runs every measurement. `baseUrl` defaults to a server of its own on `dist` (or the given root);
 * `frameWindowMs` shortens (c) for quick runs. Never throws for a missing UI feature.
 */
export async function measureBudgets({ baseUrl, root = distDir, frameWindowMs = 5_000, timeoutMs = 15_000 } = {}) {
  const server = baseUrl ? null : await startServer(root);
  const base = baseUrl ?? server.url;
  const browser = await launchBrowser();
  try {
    // A fresh profile, and (a) first: its load is cold.
    const firstLoad = await measureFirstLoad(browser.context, base, timeoutMs);
    const editor = measureEditorBundle(root);
    // A page that showed no pod card on a plain load will not show one later either: do not wait
    // the full timeout twice more for it.
    const later = firstLoad.podCard ? timeoutMs : 3_000;
    const frames = await measureFrames(browser.context, base, { windowMs: frameWindowMs, timeoutMs: later });
    const seek = await measureSeek(browser.context, base, { timeoutMs: later });
    return { url: base, budgets: BUDGETS, firstLoad, editor, frames, seek };
  } finally {
    await browser.close();
    await server?.close();
  }
}

/** One row per budget: [what, measured, budget, verdict]; verdict is ok, OVER or a reason. */
export function verdicts(result) {
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const check = (value, budget) => (value <= budget ? 'ok' : 'OVER');
  const rows = [];
  const { firstLoad, editor, frames, seek } = result;
  const parts = Object.entries(firstLoad.byKind)
    .map(([k, x]) => `${k} ${kb(x.gzip)}`)
    .join(', ');
  rows.push([
    `first load, gzip (${firstLoad.counted})`,
    `${kb(firstLoad.total.gzip)} [${parts}]`,
    `${BUDGETS.firstLoadGzipKB} KB`,
    check(firstLoad.total.gzip, BUDGETS.firstLoadGzipKB * 1024),
  ]);
  rows.push(
    editor
      ? [
          'editor bundle, gzip (lazy)',
          `${kb(editor.gzip)} (raw ${kb(editor.raw)})${
            firstLoad.editorFetchedAtMs === null ? '' : `, fetched at ${firstLoad.editorFetchedAtMs} ms`
          }`,
          `${BUDGETS.editorGzipKB} KB`,
          check(editor.gzip, BUDGETS.editorGzipKB * 1024),
        ]
      : ['editor bundle, gzip (lazy)', '-', `${BUDGETS.editorGzipKB} KB`, `no ${EDITOR_BUNDLE} in dist`],
  );
  rows.push(
    firstLoad.podCard
      ? ['navigation -> first pod card', `${firstLoad.firstPodCardMs} ms`, `${BUDGETS.firstPodCardMs} ms`, check(firstLoad.firstPodCardMs, BUDGETS.firstPodCardMs)]
      : [
          'navigation -> first pod card',
          firstLoad.firstContentfulPaintMs === null ? '-' : `(first paint ${firstLoad.firstContentfulPaintMs} ms)`,
          `${BUDGETS.firstPodCardMs} ms`,
          'no pod card',
        ],
  );
  const frameNote = frames.podCard ? `${frames.podCards} pod cards` : 'no pod card';
  rows.push([
    `frame p95, 100 pods at 10x (${frameNote})`,
    frames.p95Ms === null ? '-' : `${frames.p95Ms} ms (p50 ${frames.p50Ms}, max ${frames.maxMs}, ${frames.frames} frames)`,
    `${BUDGETS.frameP95Ms} ms`,
    frames.p95Ms === null ? 'no frames' : frames.podCard ? check(frames.p95Ms, BUDGETS.frameP95Ms) : `${check(frames.p95Ms, BUDGETS.frameP95Ms)} (no pod card)`,
  ]);
  if (!seek.available) rows.push(['seek (podplayDebug.seek)', '-', `${BUDGETS.seekMs} ms`, 'not available']);
  else if (seek.error) rows.push(['seek (podplayDebug.seek)', '-', `${BUDGETS.seekMs} ms`, `error: ${seek.error}`]);
  else
    rows.push([
      'seek (podplayDebug.seek), slowest',
      `${seek.maxMs} ms (${seek.runs.map((run) => `${run.toMs / 1000}s: ${Math.round(run.elapsedMs)}`).join(', ')})`,
      `${BUDGETS.seekMs} ms`,
      check(seek.maxMs, BUDGETS.seekMs),
    ]);
  return rows;
}

export function formatTable(rows) {
  const header = ['budget', 'measured', 'limit', 'verdict'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const urlAt = args.indexOf('--url');
  const baseUrl = urlAt >= 0 ? args[urlAt + 1] : undefined;
  const strict = args.includes('--strict');
  const result = await measureBudgets({ baseUrl });
  const rows = verdicts(result);
  console.log(formatTable(rows));
  const out = join(repoRoot, 'target', 'budgets.json');
  mkdirSync(join(repoRoot, 'target'), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ ...result, verdicts: rows }, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
  if (strict && rows.some((row) => row[3].startsWith('OVER'))) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`budgets: ${error.stack ?? error}`);
    process.exit(2);
  });
}
