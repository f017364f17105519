import request from 'supertest';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('HTTP Basic authentication', () => {
  describe('when users are configured', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack({ env: { BASIC_AUTH_USERS: 'demo:s3cret:with-colon,ops:other' } });
    });
    afterAll(() => stack.close());

    it('turns away a request without credentials with 401 and a challenge', async () => {
      const response = await request(stack.app).get('/engine-rest/version').expect(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(response.body).toEqual({
        type: 'RestException',
        message: 'Authentication required',
        code: null,
      });
    });

    it('turns away a wrong password', async () => {
      const response = await request(stack.app)
        .get('/engine-rest/version')
        .auth('demo', 's3cret')
        .expect(401);
      expect(response.body.message).toBe('Invalid user name or password');
    });

    it('turns away an unknown user', async () => {
      await request(stack.app).get('/engine-rest/version').auth('nobody', 'other').expect(401);
    });

    it('lets a configured user in, also with a colon in the password', async () => {
      await request(stack.app).get('/engine-rest/version').auth('demo', 's3cret:with-colon').expect(200);
      await request(stack.app).get('/engine-rest/engine/default/version').auth('ops', 'other').expect(200);
    });

    it('protects unknown routes too, so nothing leaks about what exists', async () => {
      await request(stack.app).get('/engine-rest/anything').expect(401);
    });

    it('leaves the health endpoints open for probes', async () => {
      await request(stack.app).get('/health/live').expect(200);
      await request(stack.app).get('/health/ready').expect(200);
    });
  });

  describe('when no users are configured', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack();
    });
    afterAll(() => stack.close());

    it('serves the API without credentials', async () => {
      await request(stack.app).get('/engine-rest/version').expect(200);
    });
  });
});
