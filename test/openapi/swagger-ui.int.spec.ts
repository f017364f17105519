import type { Browser } from 'playwright-core';
import { launchChromium, serveOnLoopback } from '../support/browser';
import { startTestStack, type TestStack } from '../support/test-stack';

/** A person reads the API in Swagger UI at /docs, in a real browser, with nothing loaded from outside. */
describe('Swagger UI at /docs', () => {
  let stack: TestStack;
  let served: Awaited<ReturnType<typeof serveOnLoopback>> | undefined;
  let browser: Browser;
  const auth = { username: 'ops', password: 'secret' };

  beforeAll(async () => {
    stack = await startTestStack({ env: { BASIC_AUTH_USERS: 'ops:secret', LOG_LEVEL: 'warn' } });
    served = await serveOnLoopback(stack.app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await stack?.close();
  });

  it('renders the operations of the document, tags and all, from local assets', async () => {
    const context = await browser.newContext({ httpCredentials: auth });
    const page = await context.newPage();
    const outside: string[] = [];
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (req) => {
      if (!req.url().startsWith(served!.baseUrl) && !req.url().startsWith('data:')) outside.push(req.url());
    });
    await page.goto(`${served!.baseUrl}/docs`);
    await page.getByText('batch-ops REST API').first().waitFor({ timeout: 20_000 });
    for (const tag of ['Migration', 'Modification', 'Batch', 'Process Instance', 'Beyond Camunda']) {
      await page.locator(`h3#operations-tag-${tag.replace(/ /g, '_')}`).waitFor({ timeout: 20_000 });
    }
    // A tag unfolds into its operations; one opens with its responses, Camunda's error body among them.
    await page.locator('h3#operations-tag-Migration').click();
    for (const path of ['generate', 'validate', 'execute', 'executeAsync']) {
      await page
        .locator(`#operations-Migration-postEngineRestMigration${path[0]!.toUpperCase()}${path.slice(1)}`)
        .waitFor();
    }
    await page.locator('#operations-Migration-postEngineRestMigrationExecuteAsync .opblock-summary').click();
    await page.getByText('Camunda error.').first().waitFor({ timeout: 20_000 });
    await page.getByText('Migrate process instances in a batch').first().waitFor();
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
