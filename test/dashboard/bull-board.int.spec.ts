import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchChromium, serveOnLoopback } from '../support/browser';
import { deploy, fixture } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** Operators watch the queues in Bull Board: a real browser finds the queues and a failed job's reason. */
describe('Bull Board', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  let served: Awaited<ReturnType<typeof serveOnLoopback>> | undefined;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { BASIC_AUTH_USERS: 'ops:secret' } });
    stopWorker = await startTestWorker(stack);
    served = await serveOnLoopback(stack.app);
    baseUrl = served.baseUrl;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await stopWorker();
    await stack.close();
  });

  it('is behind the Basic authentication', async () => {
    await request(stack.app).get('/admin/queues').expect(401);
  });

  it('shows the batch and timer queues, and a failed job with its reason', async () => {
    const auth = { username: 'ops', password: 'secret' };
    // A real failure: a timer whose continuation reaches an exclusive gateway where no condition holds.
    await deploy(stack.app, [{ name: 'timers.bpmn', content: fixture('timers.bpmn') }])
      .auth(auth.username, auth.password)
      .expect(200);
    await request(stack.app)
      .post('/engine-rest/process-definition/key/timerGateway/start')
      .auth(auth.username, auth.password)
      .send({ variables: { route: { value: 'nowhere', type: 'String' } } })
      .expect(200);
    const timerQueue = stack.services.timerQueue.queue;
    await waitUntil(async () => (await timerQueue.getJobCounts('failed')).failed === 1, 30_000);

    const context = await browser.newContext({ httpCredentials: auth });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/admin/queues`);
    for (const name of ['batch-seed', 'batch-execution', 'batch-monitor', 'timer']) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
    }
    // Batch failures live in MySQL: the header links to the console, which groups them by reason.
    await page.locator('ul[class^="actions"] > li').last().locator('button').click();
    await expect(page.getByRole('menuitem', { name: 'Batch console' }).getAttribute('href')).resolves.toBe(
      '/console',
    );
    await page.keyboard.press('Escape');
    await page.goto(`${baseUrl}/admin/queues/queue/timer?status=failed`);
    await page.getByText('No outgoing sequence flow', { exact: false }).first().waitFor({ timeout: 15_000 });
    await context.close();
  });
});
