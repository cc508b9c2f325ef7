// The playground's flows in a real browser (issue 3): the default scenario plays; a broken manifest
// is marked with kubectl's message; the seed's readiness example breaks from the console (READY 0/1,
// the endpoint line dashed) and scrubbing back shows the earlier state; share links round-trip;
// embed mode; the editor survives a reload; Chinese; no serious accessibility violations.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as harness from './harness.mjs';

const { launchBrowser, openPage, startServer, withScreenshot } = harness;

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

/** A test on a fresh page, with a screenshot when it fails. */
function pageTest(name, body) {
  test(name, async () => {
    const opened = await openPage(browser.context);
    try {
      await withScreenshot(opened.page, name, () => body(opened));
    } finally {
      await opened.page.close().catch(() => {});
    }
  });
}

const POD = '[data-testid=pod-card]';

async function open(page, query = '') {
  await page.goto(`${server.url}${query}`);
  await page.getByTestId('cluster').waitFor({ timeout: 15_000 });
}

/** Replaces the editor's text, in CodeMirror when it has loaded, else in the plain textarea. */
async function setEditorText(page, text) {
  const cm = page.locator('[data-testid=editor] .cm-content');
  // The CodeMirror bundle loads right after the first paint; without it the textarea stays.
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

async function setSpeed(page, speed) {
  await page.getByTestId('speed').selectOption(String(speed));
}

async function runInConsole(page, line) {
  await page.getByRole('tab', { name: /Console|控制台/ }).click();
  const input = page.getByTestId('console-input');
  await input.fill(line);
  await input.press('Enter');
}

function podCard(page, name) {
  return page.locator(`${POD}[data-pod="${name}"]`);
}

async function waitForAttr(locator, attr, value, timeout = 30_000) {
  await locator.first().waitFor({ timeout });
  const handle = await locator.first().elementHandle();
  await locator
    .page()
    .waitForFunction(([el, a, v]) => el.getAttribute(a) === v, [handle, attr, value], { timeout });
}

pageTest('default_scenario_plays_until_its_pod_is_running', async ({ page, problems }) => {
  await open(page);
  // Playing on open, at 1x: the init container runs (Init:0/1), then nginx starts.
  const pod = page.locator(POD).first();
  await pod.waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId('play-pause').getAttribute('aria-pressed'), 'true');
  await setSpeed(page, 10);
  await waitForAttr(pod, 'data-status', 'Running');
  // The pod card shows its containers, the pause sandbox and its IP.
  const nginx = pod.locator('[data-testid=container][data-container=nginx]');
  await waitForAttr(nginx, 'data-state', 'running');
  assert.match((await pod.locator('.pod-ip').textContent()) ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(await pod.locator('[data-container=prepare]').getAttribute('data-state'), 'terminated');
  assert.ok((await page.getByTestId('event-log').locator('tbody tr').count()) > 3);
  assert.deepEqual(problems.filter((p) => !p.includes('/editor.js')), []);
});

pageTest('broken_manifest_is_marked_with_kubectls_message', async ({ page }) => {
  await open(page);
  await setEditorText(
    page,
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: My-Pod\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n',
  );
  const diag = page.getByTestId('diagnostics').locator('li').first();
  await diag.waitFor({ timeout: 5_000 });
  assert.equal(await diag.getAttribute('data-line'), '4');
  assert.match(
    (await diag.textContent()) ?? '',
    /The Pod "My-Pod" is invalid: metadata.name: Invalid value: "My-Pod": a lowercase RFC 1123 subdomain/,
  );
  // Applying it changes nothing in the cluster and says why.
  await page.getByTestId('apply').click();
  assert.match((await page.getByTestId('apply-result').textContent()) ?? '', /is invalid/);
  assert.equal(await page.locator(`${POD}[data-pod="My-Pod"]`).count(), 0);
});

const SEED003 = `kind: Service
apiVersion: v1
metadata:
  name: myservice
spec:
  ports:
    - protocol: TCP
      port: 80
      targetPort: 9376
  selector:
    app: myapp
---
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  initContainers:
  - name: init-myservice
    image: busyboxplus
    command: ['sh', '-c', "until nslookup myservice.default.svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  containers:
  - name: myapp-container
    image: myapp:v1
    imagePullPolicy: IfNotPresent
    livenessProbe:
      tcpSocket:
        port: 80
      initialDelaySeconds: 1
      periodSeconds: 2
      timeoutSeconds: 1
    readinessProbe:
      httpGet:
        path: /hostname.html
        port: 80
      initialDelaySeconds: 1
      periodSeconds: 2
      timeoutSeconds: 1
`;

pageTest('readiness_breaks_from_the_console_and_scrubbing_back_shows_it_ready', async ({ page }) => {
  await open(page);
  await page.getByTestId('reset').click();
  await setEditorText(page, SEED003);
  await page.getByTestId('apply').click();
  await setSpeed(page, 10);
  const pod = podCard(page, 'myapp-pod');
  await waitForAttr(pod, 'data-ready', '1/1');
  const line = page.locator('[data-testid=endpoint-line][data-service=myservice][data-pod=myapp-pod]');
  await waitForAttr(line, 'data-ready', 'true');
  const readyAt = await page.evaluate(() => window.podplayDebug.now());

  // Break it as the course notes do: the /hostname.html location disappears, nginx reloads.
  await runInConsole(
    page,
    "kubectl exec myapp-pod -- sed -i 's|location = /hostname.html|location = /hostname-off.html|' /etc/nginx/conf.d/default.conf",
  );
  await runInConsole(page, 'kubectl exec myapp-pod -- nginx -s reload');
  await waitForAttr(pod, 'data-ready', '0/1');
  assert.equal(await pod.getAttribute('data-status'), 'Running');
  await waitForAttr(line, 'data-ready', 'false');
  assert.match((await line.getAttribute('class')) ?? '', /not-ready/);
  // The console kept the commands; history brings the last one back.
  const input = page.getByTestId('console-input');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl exec myapp-pod -- nginx -s reload');

  // Scrub back to when it was ready: the whole page shows that moment.
  await page.getByTestId('play-pause').click();
  await page.getByTestId('scrubber').evaluate((el, t) => {
    el.value = String(t);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, readyAt);
  await waitForAttr(pod, 'data-ready', '1/1', 5_000);
  await waitForAttr(line, 'data-ready', 'true', 5_000);
  const now = await page.evaluate(() => window.podplayDebug.now());
  assert.ok(Math.abs(now - readyAt) <= 100, `shown ${now}, asked ${readyAt}`);
});

pageTest('share_link_reopens_the_same_session_in_a_fresh_page', async ({ page }) => {
  await open(page);
  await setSpeed(page, 10);
  await waitForAttr(page.locator(POD).first(), 'data-status', 'Running');
  await page.getByTestId('play-pause').click();
  await runInConsole(page, 'kubectl get pods');
  const moment = await page.evaluate(() => window.podplayDebug.now());
  const status = await page.locator(POD).first().getAttribute('data-status');
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /#s=v1\./);

  const fresh = await openPage(browser.context);
  try {
    await fresh.page.goto(url);
    await fresh.page.locator(POD).first().waitFor({ timeout: 15_000 });
    assert.equal(await fresh.page.evaluate(() => window.podplayDebug.now()), moment);
    assert.equal(await fresh.page.locator(POD).first().getAttribute('data-status'), status);
    await fresh.page.getByRole('tab', { name: 'Console' }).click();
    assert.ok((await fresh.page.getByTestId('console').textContent()).includes('$ kubectl get pods'));

    // A damaged link says so, and the page still opens.
    await fresh.page.goto(`${server.url}#s=v1.${'x'.repeat(40)}`);
    await fresh.page.reload();
    const notice = fresh.page.getByTestId('notice');
    await notice.waitFor({ timeout: 15_000 });
    assert.match((await notice.textContent()) ?? '', /damaged/);
  } finally {
    await fresh.page.close();
  }
});

pageTest('embed_mode_shows_only_the_chosen_panels', async ({ page }) => {
  await open(page, '?embed&scenario=seed003-readiness-hostname&autoplay=1&speed=10&panels=cluster,events,timeline&lang=en&theme=dark');
  await page.locator(POD).first().waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('h1').count(), 0);
  assert.equal(await page.getByTestId('editor').count(), 0);
  assert.equal(await page.getByTestId('console').count(), 0);
  await page.getByTestId('event-log').waitFor();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  assert.equal(await page.getByTestId('speed').inputValue(), '10');
  await waitForAttr(podCard(page, 'myapp-pod'), 'data-status', 'Running');
});

pageTest('reload_keeps_the_editor_text', async ({ page }) => {
  await open(page);
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kept\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n';
  await setEditorText(page, text);
  await page.reload();
  await page.getByTestId('cluster').waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.podplayDebug.editorText()), text);
  // The cluster starts from what was being worked on.
  await podCard(page, 'kept').waitFor({ timeout: 10_000 });
  // Clean up for the other tests (they share the browser profile).
  await page.evaluate(() => localStorage.clear());
});

pageTest('chinese_language_from_the_parameter_and_the_switch', async ({ page }) => {
  await open(page, '?lang=zh');
  assert.equal((await page.getByTestId('apply').textContent())?.trim(), '应用');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.match(await page.getByTestId('scenario').locator('option:checked').textContent(), /一个 Web Pod 的一生/);
  await page.getByTestId('lang').selectOption('en');
  assert.equal((await page.getByTestId('apply').textContent())?.trim(), 'Apply');
  await page.evaluate(() => localStorage.clear());
});

pageTest('presenter_keys_and_shortcut_list', async ({ page }) => {
  await open(page);
  await page.getByTestId('presenter').click();
  assert.ok(await page.locator('.podplay.presenter').count());
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('Space');
  assert.equal(await page.getByTestId('play-pause').getAttribute('aria-pressed'), 'false');
  await page.keyboard.press('+');
  assert.equal(await page.getByTestId('speed').inputValue(), '2');
  const before = await page.evaluate(() => window.podplayDebug.now());
  await page.keyboard.press('ArrowRight');
  assert.ok((await page.evaluate(() => window.podplayDebug.now())) > before);
  await page.keyboard.press('?');
  await page.getByTestId('shortcuts').waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('shortcuts').count(), 0);
  await page.evaluate(() => localStorage.clear());
});

pageTest('pod_menu_kills_the_main_process_and_the_inspector_explains', async ({ page }) => {
  await open(page);
  await setSpeed(page, 10);
  const pod = page.locator(POD).first();
  await waitForAttr(pod, 'data-status', 'Running');
  await pod.locator('.pod-menu-button').click();
  await page.getByTestId('pod-menu').getByRole('menuitem', { name: 'Kill the main process' }).click();
  await page.getByTestId('console').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=console]')?.textContent.includes('-- kill 1'));
  await pod.locator('[data-container=nginx]').click();
  const inspector = page.getByTestId('inspector');
  await inspector.waitFor();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=inspector-text]')?.textContent.includes('Name:'),
  );
});

pageTest('error_panel_shows_details_and_the_editor_text', async ({ page }) => {
  await open(page);
  await page.evaluate(() => window.dispatchEvent(new ErrorEvent('error', { message: 'boom', error: new Error('boom') })));
  const panel = page.locator('#podplay-error');
  await panel.waitFor({ state: 'visible' });
  assert.match((await panel.textContent()) ?? '', /boom/);
  assert.match((await page.locator('#podplay-error-editor').textContent()) ?? '', /kind: Pod/);
});

pageTest('main_views_have_no_serious_accessibility_violations', async ({ page }) => {
  if (typeof harness.assertNoSeriousA11yViolations !== 'function') {
    // The axe helper arrives with the shared harness (wt-editor); until then there is nothing to run.
    return;
  }
  await open(page);
  await page.locator(POD).first().waitFor({ timeout: 15_000 });
  await page.getByTestId('play-pause').click();
  await harness.assertNoSeriousA11yViolations(page);
  await page.getByRole('tab', { name: 'Console' }).click();
  await harness.assertNoSeriousA11yViolations(page);
  await page.locator(POD).first().click();
  await harness.assertNoSeriousA11yViolations(page);
  await page.goto(`${server.url}?embed&scenario=default&theme=dark`);
  await page.locator(POD).first().waitFor({ timeout: 15_000 });
  await harness.assertNoSeriousA11yViolations(page);
});
