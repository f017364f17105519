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

  it('maps other engine errors to 500 and keeps their code', () => {
    expect(toErrorResponse(new OptimisticLockingException('raced'))).toEqual({
      status: 500,
      body: { type: 'OptimisticLockingException', message: 'raced', code: 1 },
    });
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
