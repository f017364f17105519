import request from 'supertest';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('REST contract of the service foundation', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ env: { HTTP_BODY_LIMIT: '2kb' } });
  });
  afterAll(() => stack.close());

  it('lists the default engine', async () => {
    const response = await request(stack.app).get('/engine-rest/engine').expect(200);
    expect(response.body).toEqual([{ name: 'default' }]);
  });

  it.each(['/engine-rest/version', '/engine-rest/engine/default/version'])(
    'answers %s under both mounts',
    async (path) => {
      const response = await request(stack.app).get(path).expect(200);
      expect(response.body).toEqual({ version: expect.stringMatching(/^7\.\d+\.\d+$/) });
    },
  );

  it('answers application/json to a client that asks for application/hal+json', async () => {
    const response = await request(stack.app)
      .get('/engine-rest/version')
      .set('Accept', 'application/hal+json')
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('rejects malformed JSON with a 400 InvalidRequestException body', async () => {
    const response = await request(stack.app)
      .post('/engine-rest/version')
      .set('Content-Type', 'application/json')
      .send('{"processInstanceIds": [')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringContaining('Malformed JSON'),
      code: null,
    });
  });

  it('answers an unknown route with a 404 in the same envelope', async () => {
    const response = await request(stack.app).get('/engine-rest/no-such-resource').expect(404);
    expect(response.body).toEqual({
      type: 'RestException',
      message: expect.stringContaining('/engine-rest/no-such-resource'),
      code: null,
    });
  });

  it('answers a body over the configured limit with a 413 in the same envelope', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `instance-${i}`);
    const response = await request(stack.app)
      .post('/engine-rest/migration/execute')
      .send({ processInstanceIds: ids })
      .expect(413);
    expect(response.body).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringContaining('2048'),
      code: null,
    });
  });

  it('rejects an engine other than the default one', async () => {
    const response = await request(stack.app).get('/engine-rest/engine/other/version').expect(400);
    expect(response.body).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringContaining("'other'"),
      code: null,
    });
  });

  it('echoes the caller’s X-Request-Id and puts it on the request’s log lines', async () => {
    const response = await request(stack.app)
      .get('/engine-rest/version')
      .set('X-Request-Id', 'trace-me-42')
      .expect(200);
    expect(response.headers['x-request-id']).toBe('trace-me-42');
    const lines = stack
      .logLines()
      .filter((line) => line.message === 'request' && line.path === '/engine-rest/version');
    expect(lines.map((line) => line.requestId)).toContain('trace-me-42');
  });

  it('makes up a request id when the caller sends none', async () => {
    const response = await request(stack.app).get('/engine-rest/version').expect(200);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
