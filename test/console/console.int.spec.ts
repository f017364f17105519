import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { launchChromium, serveOnLoopback } from '../support/browser';
import { PROJECT_ROOT } from '../support/project-root';
import { startInstancesOf } from '../support/migration';
import { deploy, fixture, withKey } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** When set (e.g. `docs`), the test saves its screenshots of the list and the batch page there. */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

const INSTANCES = 20_000;
const FAILING = 50;
const auth = { username: 'ops', password: 'secret' };

/**
 * The operators' console in a real browser, over HTTP and real workers: a 20,000-instance migration
 * batch with failing instances is followed in the list (moving progress, ETA), its failure group is
 * found on the batch page with the right count, and once the instances are fixed, "Retry failed"
 * completes the batch, all without reloading the page.
 */
describe('the operators’ console', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  let served: Awaited<ReturnType<typeof serveOnLoopback>> | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let baseUrl: string;
  const api = () => request(stack.app);
  const as = <T extends request.Test>(call: T) => call.auth(auth.username, auth.password);

  beforeAll(async () => {
    // The assets `npm run build` makes (built here too, so this file also runs on its own).
    const built = spawnSync('node', [path.join(PROJECT_ROOT, 'apps/console/build.mjs')], {
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('the console did not build');
    stack = await startTestStack({
      env: {
        BASIC_AUTH_USERS: 'ops:secret',
        LOG_LEVEL: 'warn',
        // Smaller jobs than the default, two at a time: the batch takes long enough to watch it move.
        BATCH_INVOCATIONS_PER_JOB: '100',
        WORKER_CONCURRENCY: '2',
      },
    });
    served = await serveOnLoopback(stack.app);
    baseUrl = served.baseUrl;
    browser = await launchChromium();
    context = await browser.newContext({ httpCredentials: auth, viewport: { width: 1400, height: 1000 } });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await served?.close();
    await stopWorker?.();
    await stack?.close();
  });

  it('is behind the Basic authentication, and the landing page names where everything is', async () => {
    await api().get('/console').expect(401);
    await api().get('/console/assets/console.js').expect(401);
    const landing = await as(api().get('/')).expect(200);
    for (const url of [
      '/engine-rest',
      '/console',
      '/admin/queues',
      '/metrics',
      '/health/live',
      '/health/ready',
    ])
      expect(landing.text).toContain(`href="${url}"`);
    const page = await as(api().get('/console')).expect(200);
    expect(page.text).toContain('/console/assets/console.js');
    await as(api().get('/console/assets/console.js'))
      .expect(200)
      .expect('content-type', /javascript/);
    await as(api().get('/console/assets/nope.js')).expect(404);
  });

  it('follows a 20,000-instance migration with failures to its completion after a retry', async () => {
    const [v1, v2] = await deployOrders();
    await startOrders(v1, INSTANCES, 'a');
    const failing = await startOrders(v1, FAILING, 'b');

    const page = await context.newPage();
    await page.goto(`${baseUrl}/console`);
    // Set once: still there at the end, so the page was never reloaded.
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));

    const created = await as(api().post('/engine-rest/migration/executeAsync'))
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: [{ sourceActivityIds: ['checkOrder'], targetActivityIds: ['checkOrder'] }],
        },
        processInstanceQuery: { processDefinitionId: v1 },
      })
      .expect(200);
    const batchId = created.body.id as string;
    stopWorker = await startTestWorker(stack);

    // The list: the batch running, its bar moving, with an ETA; then it stops with failed jobs.
    const row = page.locator(`tr[data-batch-id="${batchId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe(`${v1} → ${v2}`);
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('ops');
    const seen = new Set<number>();
    const etas: string[] = [];
    let screenshotTaken = false;
    await waitUntil(async () => {
      const handled = Number(await row.locator('.progress').getAttribute('aria-valuenow'));
      const state = await row.getAttribute('data-state');
      if (state === 'running' && handled > 0 && handled < INSTANCES) {
        seen.add(handled);
        etas.push((await row.locator('td.eta').textContent()) ?? '');
        if (!screenshotTaken && handled > INSTANCES / 4) screenshotTaken = await screenshot(page, 'batches');
      }
      return state === 'failedJobs';
    }, 150_000);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(etas.some((eta) => /^in \d/.test(eta))).toBe(true);
    await expect(row.locator('.progress').getAttribute('data-failed')).resolves.toBe(String(FAILING));
    await expect(row.locator('.progress').getAttribute('data-done')).resolves.toBe(String(INSTANCES));

    // The batch page: the failure group with its count, expandable to the instances.
    await row.locator('a').first().click();
    const batchPage = page.locator(`section.batch[data-batch-id="${batchId}"]`);
    await batchPage.waitFor();
    const group = page.locator('.failure-group').first();
    await expect(group.getByTestId('failure-count').textContent()).resolves.toBe(String(FAILING));
    await expect(page.locator('.failure-group').count()).resolves.toBe(1);
    const reason = (await group.getAttribute('data-reason')) ?? '';
    expect(reason).toContain('MigratingProcessInstanceValidationException');
    await group.locator('button[aria-expanded]').click();
    const links = group.locator('.failed-items li a');
    await links.first().waitFor();
    await expect(links.count()).resolves.toBe(20);
    expect(failing).toContain(await links.first().textContent());
    await expect(group.locator('.pager').textContent()).resolves.toContain(`of ${FAILING}`);
    await expect(page.getByTestId('failed').textContent()).resolves.toBe(String(FAILING));
    await screenshot(page, 'batch');

    // The instance page: the failed instance waits in the manual review, drawn on the diagram.
    const failedInstance = (await links.first().textContent())!;
    await links.first().click();
    await page.locator('.instance-count[data-activity="manualReview"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('.instance-count[data-activity="manualReview"]').textContent()).resolves.toBe(
      '1',
    );
    await expect(page.locator('table.instance-batches td').nth(4).textContent()).resolves.toContain('failed');
    await screenshot(page, 'instance');
    await page.goBack();
    await batchPage.waitFor();

    // Fixed (moved from the manual review to the order check), the instances migrate on retry.
    for (const id of failing) {
      await as(api().post(`/engine-rest/process-instance/${id}/modification`))
        .send({
          instructions: [
            { type: 'startBeforeActivity', activityId: 'checkOrder' },
            { type: 'cancel', activityId: 'manualReview' },
          ],
        })
        .expect(204);
    }
    await page.getByRole('button', { name: 'Retry failed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry all failures' });
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await page.locator(`section.batch[data-state="completed"]`).waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('done').textContent()).resolves.toBe(
      (INSTANCES + FAILING).toLocaleString('en-US'),
    );
    await expect(page.getByTestId('failed').textContent()).resolves.toBe('0');
    await expect(page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).resolves.toBe(
      true,
    );

    // The fixed instance now runs on v2, in the order check, and names the batch that migrated it.
    await page.goto(`${baseUrl}/console#/instance/${failedInstance}`);
    await page.locator('.instance-count[data-activity="checkOrder"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('table.instance-batches td').nth(4).textContent()).resolves.toBe('done');
    await page.close();
  }, 240_000);

  it('lays out a definition deployed without a diagram, with the instance’s activities counted', async () => {
    const xml = withKey(fixture('migration/fork-v1.bpmn'), 'fork', 'forkConsole');
    const deployed = await deploy(stack.app, [{ name: 'fork.bpmn', content: xml }])
      .auth(auth.username, auth.password)
      .expect(200);
    const definitionId = Object.keys(deployed.body.deployedProcessDefinitions as object)[0]!;
    const [instanceId] = await startInstancesOf(stack, definitionId, 1);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/console#/instance/${instanceId}`);
    for (const activity of ['taskA', 'taskB']) {
      const count = page.locator(`.instance-count[data-activity="${activity}"]`);
      await count.waitFor({ timeout: 15_000 });
      await expect(count.textContent()).resolves.toBe('1');
    }
    await expect(page.getByText('deployed without a diagram').count()).resolves.toBe(1);
    await expect(page.locator('table.instance-batches td.empty').textContent()).resolves.toBe(
      'No batch has touched this instance',
    );
    await page.close();
  });

  async function deployOrders(): Promise<[string, string]> {
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const name = `orders-${version}.bpmn`;
      const response = await deploy(stack.app, [{ name, content: fixture(`console/${name}`) }])
        .auth(auth.username, auth.password)
        .expect(200);
      ids.push(Object.keys(response.body.deployedProcessDefinitions as object)[0]!);
    }
    return [ids[0]!, ids[1]!];
  }

  /** Starts `count` instances of `definitionId` routed to `route`, 2,000 at a time; their ids. */
  async function startOrders(definitionId: string, count: number, route: string): Promise<string[]> {
    const definition = (await stack.services.repository.getDefinition(definitionId))!;
    const ids: string[] = [];
    for (let started = 0; started < count; started += 2_000) {
      const size = Math.min(2_000, count - started);
      const states = await stack.services.runtime.start(
        definition,
        Array.from({ length: size }, () => ({
          businessKey: null,
          variables: { route: { value: route, type: 'String' as const } },
        })),
      );
      ids.push(...states.map((state) => state.id));
    }
    return ids;
  }
});

/** Saves a screenshot as `docs/console-<name>.png` when CONSOLE_SCREENSHOTS names a directory. */
async function screenshot(page: Page, name: string): Promise<boolean> {
  if (!SCREENSHOTS) return true;
  const directory = path.resolve(PROJECT_ROOT, SCREENSHOTS);
  mkdirSync(directory, { recursive: true });
  // The page's content, however tall, without the empty viewport below it.
  await page.locator('body').screenshot({ path: path.join(directory, `console-${name}.png`) });
  return true;
}
