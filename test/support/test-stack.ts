import { PassThrough } from 'node:stream';
import request from 'supertest';
import type { Express } from 'express';
import { loadConfig, type Config } from '@libs/config';
import { createLogger } from '@libs/logging';
import { runMigrations } from '@libs/persistence';
import { buildApp } from '../../apps/api/api';
import type { OpenApiDocument } from '../../apps/api/openapi/document';
import { openInfrastructure, type Infrastructure } from '../../apps/common/infrastructure';
import { buildServices, type Services } from '../../apps/common/services';
import { ContractCheck } from './contract';
import { createTestDatabase, serviceUrls, uniqueToken, type TestDatabase } from './services';

export interface TestStack {
  readonly app: Express;
  readonly config: Config;
  readonly infrastructure: Infrastructure;
  readonly services: Services;
  readonly database: TestDatabase;
  /** The answers seen so far, and those off the OpenAPI document (which fail `close()`). */
  readonly contract: ContractCheck;
  /** Every log line written so far, parsed from JSON. */
  logLines(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  /** Environment overrides, applied over the test defaults. */
  readonly env?: Record<string, string>;
  /** Reach the test database through another address (e.g. a proxy the test can cut). */
  readonly databaseVia?: { readonly host: string; readonly port: number };
}

/**
 * A migrated database of its own, a queue prefix of its own and the real HTTP app on top, configured
 * through the same schema as production. Call `close()` in `afterAll`.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const { redisUrl } = serviceUrls();
  const database = await createTestDatabase();
  const databaseUrl = new URL(database.url);
  if (options.databaseVia) {
    databaseUrl.hostname = options.databaseVia.host;
    databaseUrl.port = String(options.databaseVia.port);
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl.toString(),
    // A test that names a Redis Cluster runs on it alone.
    ...(options.env?.REDIS_CLUSTER_NODES ? {} : { REDIS_URL: redisUrl }),
    QUEUE_PREFIX: `test-${uniqueToken()}`,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger({ level: config.log.level, format: 'json', stream });
  const infrastructure = await openInfrastructure(config, logger, 'test');
  await runMigrations(infrastructure.dataSource);
  const services = buildServices(infrastructure);
  const served = buildApp(infrastructure, services);
  // Every answer of the suite is checked against the OpenAPI document the app serves.
  const [user] = config.auth.users;
  const documentCall = request(served).get('/openapi.json');
  if (user) documentCall.auth(user.id, user.password);
  const contract = new ContractCheck((await documentCall.expect(200)).body as OpenApiDocument);
  return {
    app: contract.wrap(served),
    contract,
    config,
    infrastructure,
    services,
    database,
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      if (contract.violations.length > 0) {
        await services.close();
        await infrastructure.close();
        await database.drop();
        throw new Error(`Answers off the OpenAPI document:\n${contract.violations.join('\n')}`);
      }
      await services.close();
      await infrastructure.close();
      await database.drop();
    },
  };
}
