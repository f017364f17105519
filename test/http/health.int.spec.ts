import request from 'supertest';
import { timerJobId } from '@libs/queue';
import { deploy, fixture } from '../support/rest';
import { serviceUrls } from '../support/services';
import { DisposableRedis, waitUntil } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestStack, type TestStack } from '../support/test-stack';

const readiness = (stack: TestStack) => request(stack.app).get('/health/ready');

/** Readiness is unauthenticated: its body must name no host or port of a dependency. */
function expectNoAddress(body: unknown, ...ports: Array<number | string>): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|\d+\.\d+\.\d+\.\d+/);
  for (const port of ports) expect(text).not.toContain(String(port));
}

/** Camunda's error body of a request refused while a dependency is down, with `Retry-After`. */
function expectUnavailable(response: request.Response, message: RegExp): void {
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.body).toEqual({
    type: 'RestException',
    message: expect.stringMatching(message),
    code: null,
  });
}

describe('health endpoints', () => {
  describe('when Redis goes away', () => {
    let redis: DisposableRedis;
    let stack: TestStack;

    beforeAll(async () => {
      redis = await DisposableRedis.start();
      stack = await startTestStack({ env: { REDIS_URL: redis.url } });
    });
    afterAll(async () => {
      await stack.close();
      await redis.dispose();
    });

    it('is ready while MySQL and Redis answer', async () => {
      const response = await readiness(stack).expect(200);
      expect(response.body).toEqual({
        status: 'UP',
        checks: { database: { status: 'UP' }, schema: { status: 'UP' }, redis: { status: 'UP' } },
      });
    });

    it('reports 503 naming Redis while it is stopped, and 200 again once it is back', async () => {
      await redis.stop();
      await waitUntil(async () => (await readiness(stack)).status === 503);
      const down = await readiness(stack);
      expect(down.body.status).toBe('DOWN');
      expect(down.body.checks.redis).toEqual({ status: 'DOWN', error: expect.any(String) });
      expect(down.body.checks.database).toEqual({ status: 'UP' });
      expectNoAddress(down.body, redis.port);

      await request(stack.app).get('/health/live').expect(200);
      // The queue dashboard reads Redis only.
      const board = await request(stack.app).get('/admin/queues/api/queues');
      expectUnavailable(board, /^Redis \(connection \w+\) is unavailable; retry later$/);
      // Reading MySQL still works.
      await request(stack.app).get('/engine-rest/process-definition').expect(200);
      // A change commits in MySQL before its timer goes to Redis: it is answered as done, and the
      // reconciler schedules the timer from its row once Redis is back.
      await deploy(stack.app, [{ name: 'timers.bpmn', content: fixture('timers.bpmn') }]).expect(200);
      const started = await request(stack.app)
        .post('/engine-rest/process-definition/key/timerWait/start')
        .send({ variables: { wait: { value: 'PT1H' } } })
        .expect(200);
      const [timer] = (
        await request(stack.app).get(`/engine-rest/job?processInstanceId=${started.body.id}`).expect(200)
      ).body as Array<{ id: string }>;

      await redis.resume();
      await waitUntil(async () => (await readiness(stack)).status === 200, 20_000);
      await stack.services.timers.reconcile(2 * 3600_000);
      const queued = await stack.services.timerQueue.queue.getJob(timerJobId(timer!.id));
      expect(await queued?.isDelayed()).toBe(true);
    });
  });

  describe('when MySQL becomes unreachable', () => {
    let proxy: TcpProxy;
    let proxyPort: number;
    let stack: TestStack;

    beforeAll(async () => {
      const database = new URL(serviceUrls().databaseUrl);
      proxy = new TcpProxy(database.hostname, Number(database.port || 3306));
      proxyPort = await proxy.open();
      stack = await startTestStack({ databaseVia: { host: '127.0.0.1', port: proxyPort } });
    });
    afterAll(async () => {
      await proxy.open();
      await stack.close();
      await proxy.cut();
    });

    it('reports 503 naming the database, and 200 again when it is reachable', async () => {
      await readiness(stack).expect(200);
      await proxy.cut();
      const down = await readiness(stack).expect(503);
      expect(down.body.checks.database).toEqual({
        status: 'DOWN',
        error: expect.stringMatching(/^[a-z ]+ \((ECONNREFUSED|ECONNRESET|PROTOCOL_CONNECTION_LOST)\)$/),
      });
      expect(down.body.checks.redis).toEqual({ status: 'UP' });
      expectNoAddress(down.body, proxyPort, new URL(serviceUrls().databaseUrl).port);

      await proxy.open();
      await waitUntil(async () => (await readiness(stack)).status === 200, 20_000);
    });

    it('answers REST requests with 503 and Retry-After while the database is unreachable', async () => {
      await deploy(stack.app, [{ name: 'order.bpmn', content: fixture('order.bpmn') }]).expect(200);
      await proxy.cut();
      const unavailable = /^The database is unavailable: [a-z ]+ \([A-Z_]+\); retry later$/;
      for (const call of [
        () => request(stack.app).get('/engine-rest/process-instance'),
        () => request(stack.app).post('/engine-rest/process-instance/count').send({}),
        () => request(stack.app).get('/engine-rest/batch/statistics'),
        () => request(stack.app).post('/engine-rest/process-definition/key/order/start').send({}),
        () => request(stack.app).post('/engine-rest/message').send({ messageName: 'Cancel' }),
      ]) {
        const response = await call();
        expectUnavailable(response, unavailable);
        expectNoAddress(response.body, proxyPort);
      }

      await proxy.open();
      await waitUntil(async () => (await readiness(stack)).status === 200, 20_000);
      await request(stack.app).get('/engine-rest/process-instance').expect(200);
    });
  });
});
