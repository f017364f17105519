import express from 'express';
import request from 'supertest';
import winston from 'winston';
import { z } from 'zod';
import { NotFoundException, OptimisticLockingException, processInstanceNotFound } from '@libs/engine';
import { errorHandler } from './error-handler';
import { declareErrorOverrides, errorAs, errorOverrides } from './error-overrides';
import { InvalidRequestException } from './rest-exception';
import { parseRequest } from './validation';

const silent = winston.createLogger({ silent: true });

function appThrowing(error: Error, ...declared: ReturnType<typeof errorOverrides>[]) {
  const app = express();
  app.get('/thing/:id', ...declared, () => {
    throw error;
  });
  app.use(errorHandler(silent));
  return app;
}

describe('errorOverrides', () => {
  it('answers a declared error with its status, Camunda’s InvalidRequestException type and no code', async () => {
    const app = appThrowing(
      new NotFoundException('gone'),
      errorOverrides(errorAs(NotFoundException, { status: 404 })),
    );
    const res = await request(app).get('/thing/1').expect(404);
    expect(res.body).toEqual({ type: 'InvalidRequestException', message: 'gone', code: null });
  });

  it('keeps the engine code, sets the type and rewords the message with the route’s parameters', async () => {
    const declared = errorOverrides(
      errorAs(NotFoundException, {
        status: 404,
        type: 'RestException',
        keepCode: true,
        message: (error, params) => `Thing ${params.id}: ${error.message}`,
      }),
    );
    const res = await request(appThrowing(new NotFoundException('gone'), declared))
      .get('/thing/7')
      .expect(404);
    expect(res.body).toEqual({ type: 'RestException', message: 'Thing 7: gone', code: 0 });
  });

  it('applies a row only where its condition on the error data holds', async () => {
    const declared = errorOverrides(
      errorAs(NotFoundException, { status: 404, when: (error, params) => error.id === params.id }),
    );
    await request(appThrowing(processInstanceNotFound('1'), declared))
      .get('/thing/1')
      .expect(404);
    const other = await request(appThrowing(processInstanceNotFound('2'), declared))
      .get('/thing/1')
      .expect(400);
    expect(other.body).toEqual({
      type: 'NotFoundException',
      message: 'Process instance with id 2 does not exist',
      code: 0,
    });
  });

  it('takes the first matching row, and leaves undeclared errors to the usual mapping', async () => {
    const declared = errorOverrides(
      errorAs(OptimisticLockingException, { status: 409 }),
      errorAs(NotFoundException, { status: 410 }),
      errorAs(NotFoundException, { status: 404 }),
    );
    await request(appThrowing(new NotFoundException('gone'), declared))
      .get('/thing/1')
      .expect(410);
    await request(appThrowing(new NotFoundException('gone')))
      .get('/thing/1')
      .expect(400);
  });

  it('puts the rows of an inner declaration before those of an outer one', async () => {
    const outer = errorOverrides(errorAs(NotFoundException, { status: 410 }));
    const inner = errorOverrides(errorAs(NotFoundException, { status: 404 }));
    await request(appThrowing(new NotFoundException('gone'), outer, inner))
      .get('/thing/1')
      .expect(404);
  });

  it('applies rows a handler declares to the errors thrown after the declaration, before earlier rows', async () => {
    const app = express();
    app.get('/thing/:id', errorOverrides(errorAs(NotFoundException, { status: 410 })), (req, res) => {
      if (req.query.early) throw new NotFoundException('early');
      declareErrorOverrides(req, res, errorAs(NotFoundException, { status: 404, message: () => 'late' }));
      throw new NotFoundException('gone');
    });
    app.use(errorHandler(silent));
    await request(app).get('/thing/1?early=1').expect(410);
    const late = await request(app).get('/thing/1').expect(404);
    expect(late.body.message).toBe('late');
  });

  it('tells the request parts a schema refused apart by the exception’s part', async () => {
    const declared = errorOverrides(
      errorAs(InvalidRequestException, {
        when: (error: InvalidRequestException) => error.part === 'variables',
        status: 400,
        message: (error) => `Cannot start: ${error.message}`,
      }),
    );
    const refusal = (what: string) => {
      try {
        parseRequest(z.string(), 1, what);
      } catch (error) {
        return error as Error;
      }
      throw new Error('accepted');
    };
    const variables = await request(appThrowing(refusal('variables'), declared))
      .get('/thing/1')
      .expect(400);
    expect(variables.body.message).toMatch(/^Cannot start: Invalid variables: /);
    const body = await request(appThrowing(refusal('request body'), declared))
      .get('/thing/1')
      .expect(400);
    expect(body.body.message).toMatch(/^Invalid request body: /);
  });
});
