// The workloads in the playground (issue 4, "In the playground"): a rollout from the console shows
// the old ReplicaSet's pods draining and the new one's filling within the surge/unavailability
// budget; `kubectl rollout undo` brings the old revision back; a pending pod explains, per node,
// which rule refused it; an HPA under load scales up and its chart shows it. axe on the new views.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as harness from './harness.mjs';

const { launchBrowser, startServer, pageTest, gotoApp, assertNoSeriousA11yViolations } = harness;

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

const ctx = () => browser.context;

async function open(page, params = {}) {
  await gotoApp(page, server.url, params, { waitFor: '[data-testid=cluster]' });
}

/** Replaces the editor's text, in CodeMirror when it has loaded, else in the plain textarea. */
async function setEditorText(page, text) {
  const cm = page.locator('[data-testid=editor] .cm-content');
  await cm.waitFor({ timeout: 5_000 }).catch(() => {});
  if ((await cm.count()) > 0) {
    await cm.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await cm.fill(text);
  } else {
    await page.locator('[data-testid=editor] textarea').fill(text);
  }
  await page.waitForFunction((t) => window.podplayDebug?.editorText() === t, text, { timeout: 5_000 });
}

async function applyText(page, text) {
  await page.getByTestId('reset').click();
  await setEditorText(page, text);
  await page.getByTestId('apply').click();
}

async function setSpeed(page, speed) {
  await page.getByTestId('speed').selectOption(String(speed));
}

async function runInConsole(page, line) {
  await page.getByRole('tab', { name: /Console|控制台/ }).click();
  const input = page.getByTestId('console-input');
  await input.fill(line);
  await input.press('Enter');
}

/** Waits until `fn(arg)` in the page is truthy, checked every animation frame. */
function until(page, fn, arg, timeout = 30_000) {
  return page.waitForFunction(fn, arg, { timeout, polling: 'raf' });
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  strategy:
    rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
`;

const RS = '[data-testid=workload][data-kind=Deployment][data-name=web] [data-testid=replicaset]';

/** The Deployment's ReplicaSets as drawn: name, revision, desired/current/ready and pod chips. */
function replicaSets(page) {
  return page.evaluate((sel) => [...document.querySelectorAll(sel)].map((el) => ({
    name: el.dataset.name,
    revision: el.dataset.revision,
    desired: Number(el.dataset.desired),
    current: Number(el.dataset.current),
    ready: Number(el.dataset.ready),
    chips: el.querySelectorAll('[data-testid=pod-chip]').length,
  })), RS);
}

async function rolledOut(page) {
  await applyText(page, DEPLOY);
  await setSpeed(page, 10);
  await until(page, (sel) => document.querySelector(sel)?.dataset.ready === '4', RS);
  const budget = page.locator('[data-testid=workload][data-name=web] [data-testid=rollout-budget]');
  // desired 4 · max 5 (surge 1) · min available 3 (unavailable 1)
  assert.equal(await budget.getAttribute('data-max'), '5');
  assert.equal(await budget.getAttribute('data-min'), '3');
  assert.match((await budget.textContent()) ?? '', /desired 4 · max 5 \(surge 1\) · min available 3 \(unavailable 1\)/);
  const [first] = await replicaSets(page);
  assert.equal(first.revision, '1');
  return first.name;
}

pageTest('rollout_from_the_console_drains_the_old_replicaset_and_fills_the_new', ctx, async ({ page }) => {
  await open(page);
  const oldName = await rolledOut(page);
  await runInConsole(page, 'kubectl set image deployment/web nginx=nginx:1.16.1');
  // Mid-rollout: both ReplicaSets have pods, and the total stays within desired + surge.
  const mid = await until(page, (sel) => {
    const sets = [...document.querySelectorAll(sel)];
    if (sets.length < 2) return null;
    const chips = sets.map((el) => el.querySelectorAll('[data-testid=pod-chip]').length);
    return chips[0] > 0 && chips[1] > 0 ? chips : null;
  }, RS);
  const [newChips, oldChips] = await mid.jsonValue();
  assert.ok(newChips + oldChips <= 5 + 4, `chips ${newChips}+${oldChips}`);
  // The rollout completes: revision 2 holds every pod, revision 1 is scaled to 0.
  await until(page, (sel) => {
    const sets = [...document.querySelectorAll(sel)];
    return sets.length === 2 && sets[0].dataset.ready === '4' && sets[1].dataset.current === '0'
      && sets[1].querySelectorAll('[data-testid=pod-chip]').length === 0;
  }, RS);
  const sets = await replicaSets(page);
  assert.equal(sets[0].revision, '2');
  assert.equal(sets[1].name, oldName);
  assert.equal(sets[1].revision, '1');
  await assertNoSeriousA11yViolations(page, '[data-testid=workloads]');
});

pageTest('rollout_undo_brings_the_old_replicaset_back_as_the_next_revision', ctx, async ({ page }) => {
  await open(page);
  const oldName = await rolledOut(page);
  await runInConsole(page, 'kubectl set image deployment/web nginx=nginx:1.16.1');
  await until(page, (sel) => {
    const sets = [...document.querySelectorAll(sel)];
    return sets.length === 2 && sets[0].dataset.revision === '2' && sets[0].dataset.ready === '4'
      && sets[1].dataset.current === '0';
  }, RS);
  await runInConsole(page, 'kubectl rollout undo deployment/web');
  // The first ReplicaSet's template comes back as revision 3; it fills again, the other drains.
  await until(page, ([sel, name]) => {
    const sets = [...document.querySelectorAll(sel)];
    return sets.length === 2 && sets[0].dataset.name === name && sets[0].dataset.revision === '3'
      && sets[0].dataset.ready === '4' && sets[1].dataset.current === '0';
  }, [RS, oldName]);
  const sets = await replicaSets(page);
  assert.equal(sets[1].revision, '2');
  assert.match((await page.getByTestId('console').textContent()) ?? '', /deployment.apps\/web rolled back/);
});

const HUNGRY = `apiVersion: v1
kind: Pod
metadata:
  name: hungry
spec:
  containers:
  - name: app
    image: nginx:1.14.2
    resources:
      requests:
        cpu: "100"
`;

pageTest('pending_pod_explains_per_node_why_it_cannot_be_scheduled', ctx, async ({ page }) => {
  await open(page);
  await applyText(page, HUNGRY);
  const card = page.locator('[data-testid=unscheduled] [data-testid=pod-card][data-pod=hungry]');
  await card.waitFor({ timeout: 15_000 });
  assert.equal(await card.getAttribute('data-status'), 'Pending');
  const reason = card.getByTestId('unschedulable-reason');
  await reason.waitFor({ timeout: 15_000 });
  assert.match((await reason.textContent()) ?? '', /0\/3 nodes are available: .*2 Insufficient cpu/);
  // Per node and per rule: the workers lack CPU, the control plane has its taint.
  const verdict = (node) => card.locator(`[data-testid=node-verdict][data-node="${node}"]`);
  assert.match((await verdict('node1').textContent()) ?? '', /Insufficient cpu/);
  assert.match((await verdict('node2').textContent()) ?? '', /Insufficient cpu/);
  assert.match((await verdict('control-plane').textContent()) ?? '', /untolerated taint/);
  await assertNoSeriousA11yViolations(page, '[data-testid=unscheduled]');
});

pageTest('hpa_under_load_scales_up_and_its_chart_shows_it', ctx, async ({ page }) => {
  await open(page, { scenario: 'golden-s16-hpa-scale-up-down', speed: 100, autoplay: 1 });
  const hpa = page.locator('[data-testid=workload][data-kind=HorizontalPodAutoscaler] [data-testid=hpa]');
  await hpa.waitFor({ timeout: 30_000 });
  // Load starts at 58 s; the HPA goes 1 → 4 → ... → 10 and the chart's replica line climbs.
  await until(page, () => {
    const el = document.querySelector('[data-testid=hpa]');
    return el && Number(el.dataset.replicas) >= 8;
  }, undefined, 60_000);
  assert.ok(Number(await hpa.getAttribute('data-points')) >= 3);
  assert.match((await hpa.textContent()) ?? '', /utilization \d+% \/ target 50%/);
  const d = (await hpa.getByTestId('hpa-replicas-line').getAttribute('d')) ?? '';
  // Steps: at least one rise after the start.
  assert.ok((d.match(/V/g) ?? []).length >= 2, d);
  // The Deployment it scales shows the new pods in its ReplicaSet.
  const rs = page.locator('[data-testid=workload][data-kind=Deployment][data-name=php-apache] [data-testid=replicaset]').first();
  assert.ok(Number(await rs.getAttribute('data-desired')) >= 8);
  await assertNoSeriousA11yViolations(page, '[data-testid=workloads]');
});

pageTest('job_and_cronjob_show_completions_and_the_next_run', ctx, async ({ page }) => {
  await open(page, { scenario: 'seed001-cronjob', speed: 100, autoplay: 1 });
  const cron = page.locator('[data-testid=workload][data-kind=CronJob] [data-testid=cron]');
  await cron.waitFor({ timeout: 30_000 });
  assert.match((await cron.getByTestId('cron-next').textContent()) ?? '', /next run in \d+/);
  // After the first minute a Job appears under it, with its completion segments.
  const job = page.locator('[data-testid=workload][data-kind=CronJob] [data-testid=job-progress]').first();
  await job.waitFor({ timeout: 30_000 });
  await until(page, () => {
    const el = document.querySelector('[data-testid=workload][data-kind=CronJob] [data-testid=job-progress]');
    return el?.dataset.succeeded === '1';
  }, undefined, 30_000);
  assert.match((await cron.getByTestId('cron-last').textContent()) ?? '', /last scheduled/);
  await assertNoSeriousA11yViolations(page, '[data-testid=workloads]');
});
