import express from 'express';
import request from 'supertest';
import winston from 'winston';
import {
  BadUserRequestException,
  NotFoundException,
  OptimisticLockingException,
  ProcessEngineException,
} from '@libs/engine';
import { authenticatedUserId, basicAuth } from './basic-auth';
import { toErrorResponse } from './error-envelope';
import { errorHandler } from './error-handler';
import { InvalidRequestException } from './rest-exception';

const silent = winston.createLogger({ silent: true });

describe('toErrorResponse', () => {
  it('maps bad user input to 400 with code 0', () => {
    expect(toErrorResponse(new NotFoundException('no such thing'))).toEqual({
      status: 400,
      body: { type: 'NotFoundException', message: 'no such thing', code: 0 },
    });
  });

  it('maps a lost race to 500 and keeps its code', () => {
    expect(toErrorResponse(new OptimisticLockingException('raced'))).toEqual({
      status: 500,
      body: { type: 'OptimisticLockingException', message: 'raced', code: 1 },
    });
  });

  it('maps an engine error the caller caused, which Camunda answers 500, to 400 with Camunda’s body', () => {
    const error = new ProcessEngineException("ENGINE-13036 Process instance 'x' cannot be modified.");
    expect(toErrorResponse(error)).toEqual({
      status: 400,
      body: { type: 'ProcessEngineException', message: error.message, code: 0 },
    });
  });

  it('maps a malformed percent-escape of the path to 400', () => {
    expect(toErrorResponse(new URIError("Failed to decode param '%E0'"))).toMatchObject({
      status: 400,
      body: { type: 'InvalidRequestException', message: "Malformed URL: Failed to decode param '%E0'" },
    });
  });

  it('maps an unreachable database, by its error code, to 503 with Retry-After and no address', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:3306'), { code: 'ECONNREFUSED' });
    const lost = Object.assign(new Error('query failed'), {
      driverError: { code: 'PROTOCOL_CONNECTION_LOST' },
    });
    for (const error of [refused, lost]) {
      const response = toErrorResponse(error);
      expect(response).toEqual({
        status: 503,
        body: {
          type: 'RestException',
          message: expect.stringMatching(/^The database is unavailable: /),
          code: null,
        },
        headers: { 'Retry-After': '5' },
      });
      expect(response.body.message).not.toMatch(/10\.0\.0\.7|3306/);
    }
  });

  it('keeps a body the client stopped sending a 400, although it carries a connection code', () => {
    const aborted = Object.assign(new Error('request aborted'), {
      type: 'request.aborted',
      status: 400,
      code: 'ECONNABORTED',
    });
    expect(toErrorResponse(aborted).status).toBe(400);
  });

  it('maps an unexpected failure to 503 while a dependency is reported down, else to 500', () => {
    const failure = new Error("Stream isn't writeable");
    expect(toErrorResponse(failure, () => 'Redis (connection reconnecting)')).toMatchObject({
      status: 503,
      body: { message: 'Redis (connection reconnecting) is unavailable; retry later' },
      headers: { 'Retry-After': '5' },
    });
    expect(toErrorResponse(failure, () => undefined).status).toBe(500);
  });

  it('merges type-specific fields into the body', () => {
    const error = new BadUserRequestException('bad', {
      extensions: { validationReport: { failures: ['x'] } },
    });
    expect(toErrorResponse(error).body).toEqual({
      type: 'BadUserRequestException',
      message: 'bad',
      code: 0,
      validationReport: { failures: ['x'] },
    });
  });

  it('gives a REST error the code of its engine cause, or null', () => {
    expect(toErrorResponse(new InvalidRequestException(404, 'gone')).body.code).toBeNull();
    const caused = new InvalidRequestException(400, 'wrapped', {
      cause: new ProcessEngineException('inner'),
    });
    expect(toErrorResponse(caused)).toEqual({
      status: 400,
      body: { type: 'InvalidRequestException', message: 'wrapped', code: 0 },
    });
  });
});

describe('errorHandler', () => {
  it('answers an unexpected error with a 500 that reveals no stack or internals', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'secretColumn')");
    });
    app.use(errorHandler(silent));
    const response = await request(app).get('/boom').expect(500);
    expect(response.body).toEqual({
      type: 'ProcessEngineException',
      message: expect.any(String),
      code: null,
    });
    expect(JSON.stringify(response.body)).not.toMatch(/secretColumn|at .*\.ts|TypeError/);
  });

  it('also catches errors of async handlers', async () => {
    const app = express();
    app.get('/later', async () => {
      await Promise.resolve();
      throw new BadUserRequestException('rejected later');
    });
    app.use(errorHandler(silent));
    const response = await request(app).get('/later').expect(400);
    expect(response.body.message).toBe('rejected later');
  });
});

describe('basicAuth', () => {
  it('hands the authenticated user id to the handlers', async () => {
    const app = express();
    app.use(basicAuth([{ id: 'mary', password: 'pw' }]));
    app.get('/me', (_req, res) => {
      res.json({ userId: authenticatedUserId(res) });
    });
    app.use(errorHandler(silent));
    const response = await request(app).get('/me').auth('mary', 'pw').expect(200);
    expect(response.body).toEqual({ userId: 'mary' });
  });
});
