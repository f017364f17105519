import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { runCli } from '../../apps/cli/main';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** `batch-ops restart`: ended instances start anew, at once or as a watched batch. */
describe('the restart command', () => {
  let stack: TestStack;
  let server: Server;
  let url: string;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);

  const cli = async (args: readonly string[]) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks = { stdout: '', stderr: '' };
    stdout.on('data', (chunk: Buffer) => (chunks.stdout += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (chunks.stderr += chunk.toString()));
    const code = await runCli(['--url', url, '--interval', '200', ...args], { stdout, stderr, env: {} });
    return { code, ...chunks };
  };

  /** Starts `count` instances with business keys `<prefix>-i` and deletes them. */
  async function ended(prefix: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const started = await api()
        .post('/engine-rest/process-definition/key/cli-restart/start')
        .send({ businessKey: `${prefix}-${index}` })
        .expect(200);
      await api().delete(`/engine-rest/process-instance/${started.body.id}`).expect(204);
      ids.push(started.body.id as string);
    }
    return ids;
  }

  const restartedOf = async (ids: readonly string[]) =>
    (
      (await api().get('/engine-rest/history/process-instance').query({ unfinished: true }).expect(200))
        .body as Array<{ restartedProcessInstanceId: string | null }>
    )
      .map((instance) => instance.restartedProcessInstanceId)
      .filter((id): id is string => id !== null && ids.includes(id))
      .sort();

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_POLL_TIME_MS: '200' } });
    server = stack.app.listen(0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stopWorker = await startTestWorker(stack);
    await deploy(stack.app, [
      { name: 'order.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'cli-restart') },
    ]).expect(200);
  });
  afterAll(async () => {
    await stopWorker();
    await new Promise((resolve) => server.close(resolve));
    await stack.close();
  });

  it('restarts the ended instances a historic query selects, at once', async () => {
    const ids = await ended('now', 2);

    const run = await cli([
      'restart',
      '--definition',
      'cli-restart',
      '--instruction',
      'startBeforeActivity:approve',
      '--where',
      JSON.stringify({ processInstanceBusinessKeyLike: 'now-%', finished: true }),
    ]);

    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('Restarted 2 instance(s) of cli-restart:1');
    expect(await restartedOf(ids)).toEqual([...ids].sort());
  });

  it('restarts as a batch and follows it with --watch', async () => {
    const ids = await ended('batch', 3);

    const run = await cli([
      'restart',
      '--definition',
      'cli-restart',
      '--instruction',
      'startBeforeActivity:approve',
      '--where',
      JSON.stringify({ processInstanceBusinessKeyLike: 'batch-%', finished: true }),
      '--async',
      '--watch',
    ]);

    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('completed: every one of 3 instances succeeded');
    expect(await restartedOf(ids)).toEqual([...ids].sort());
  }, 60_000);

  it('answers exit code 2 with the service’s reason for a bad instruction', async () => {
    const run = await cli([
      'restart',
      '--definition',
      'cli-restart',
      '--instruction',
      'startBeforeActivity:nowhere',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nowhere/);
  });
});
