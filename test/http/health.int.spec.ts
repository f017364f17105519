import request from 'supertest';
import { serviceUrls } from '../support/services';
import { DisposableRedis, waitUntil } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestStack, type TestStack } from '../support/test-stack';

const readiness = (stack: TestStack) => request(stack.app).get('/health/ready');

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

      await request(stack.app).get('/health/live').expect(200);

      await redis.resume();
      await waitUntil(async () => (await readiness(stack)).status === 200, 20_000);
    });
  });

  describe('when MySQL becomes unreachable', () => {
    let proxy: TcpProxy;
    let stack: TestStack;

    beforeAll(async () => {
      const database = new URL(serviceUrls().databaseUrl);
      proxy = new TcpProxy(database.hostname, Number(database.port || 3306));
      const port = await proxy.open();
      stack = await startTestStack({ databaseVia: { host: '127.0.0.1', port } });
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
      expect(down.body.checks.database).toEqual({ status: 'DOWN', error: expect.any(String) });
      expect(down.body.checks.redis).toEqual({ status: 'UP' });

      await proxy.open();
      await waitUntil(async () => (await readiness(stack)).status === 200, 20_000);
    });
  });
});
