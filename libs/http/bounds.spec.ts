import express from 'express';
import request from 'supertest';
import winston from 'winston';
import { boundedNesting, boundedText, longerThan, MAX_JSON_DEPTH } from './bounds';
import { errorHandler } from './error-handler';

describe('longerThan', () => {
  it('counts characters as MySQL does: a character outside the BMP once', () => {
    expect(longerThan('😀'.repeat(255), 255)).toBe(false);
    expect(longerThan('😀'.repeat(256), 255)).toBe(true);
    expect(longerThan('x'.repeat(255), 255)).toBe(false);
    expect(longerThan('x'.repeat(256), 255)).toBe(true);
    expect(longerThan('\ud800'.repeat(255), 255)).toBe(false);
  });
});

describe('boundedText', () => {
  it('names the limit in its message', () => {
    const result = boundedText(3).safeParse('abcd');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be at most 3 characters long');
  });
});

describe('boundedNesting', () => {
  const app = express();
  app.use(express.json({ limit: '1mb' }), boundedNesting);
  app.post('/', (_req, res) => {
    res.status(204).end();
  });
  app.use(errorHandler(winston.createLogger({ silent: true })));
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it(`accepts JSON nested ${MAX_JSON_DEPTH} levels deep and refuses one more`, async () => {
    await request(app)
      .post('/')
      .set('Content-Type', 'application/json')
      .send(nested(MAX_JSON_DEPTH))
      .expect(204);
    const refused = await request(app)
      .post('/')
      .set('Content-Type', 'application/json')
      .send(nested(MAX_JSON_DEPTH + 1))
      .expect(400);
    expect(refused.body.type).toBe('InvalidRequestException');
  });

  it('measures 100,000 levels without recursion', async () => {
    await request(app).post('/').set('Content-Type', 'application/json').send(nested(100_000)).expect(400);
  });
});
