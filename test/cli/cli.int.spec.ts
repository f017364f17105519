import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { runCli } from '../../apps/cli/main';
import { startMany } from '../support/instances';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

const INSTANCES = 2_000;
/** Instances moved on to `check` before the migration: v2 has no `check`, so they fail. */
const STUCK = 12;
const AUTH = { BATCH_OPS_USER: 'ops', BATCH_OPS_PASSWORD: 'secret' };
const FIXTURES = join(__dirname, '..', 'fixtures', 'concurrency');

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The CLI against the real service over HTTP (Basic auth on), with a real worker running its batches:
 * deploy, definitions, migrate (generate, validate, async with --watch), failures by reason, modify to
 * repair, retry to finish, batches; exit codes and errors.
 */
describe('the batch-ops command line', () => {
  let stack: TestStack;
  let server: Server;
  let url: string;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    stack = await startTestStack({ env: { BASIC_AUTH_USERS: 'ops:secret', BATCH_POLL_TIME_MS: '200' } });
    server = stack.app.listen(0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await new Promise((resolve) => server.close(resolve));
    await stack.close();
  });

  const cli = async (args: readonly string[], env: Record<string, string> = AUTH): Promise<CliRun> => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks = { stdout: '', stderr: '' };
    stdout.on('data', (chunk: Buffer) => (chunks.stdout += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (chunks.stderr += chunk.toString()));
    const code = await runCli(['--url', url, '--interval', '200', ...args], { stdout, stderr, env });
    return { code, ...chunks };
  };
  const json = (run: CliRun): unknown => JSON.parse(run.stdout);
  const authorized = () => ({ Authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` });

  it('deploys, migrates as a watched batch, reports failures by reason, and finishes after a repair and a retry', async () => {
    const deployed = await cli(['deploy', join(FIXTURES, 'review-v1.bpmn'), '--name', 'review']);
    expect(deployed).toMatchObject({ code: 0 });
    expect(deployed.stdout).toMatch(/^ {2}review:1 {2}review:1:/m);
    await startMany(stack, 'review', INSTANCES);
    expect((await cli(['deploy', join(FIXTURES, 'review-v2.bpmn')])).code).toBe(0);

    const definitions = json(await cli(['--json', 'definitions', '--key', 'review']));
    expect(definitions).toEqual([
      expect.objectContaining({ key: 'review', version: 1, instances: INSTANCES, failedJobs: 0 }),
      expect.objectContaining({ key: 'review', version: 2, instances: 0 }),
    ]);

    const plan = json(await cli(['migrate', '--from', 'review:1', '--to', 'review', '--print-plan'])) as {
      instructions: unknown[];
    };
    expect(plan.instructions).toEqual([
      { sourceActivityIds: ['approve'], targetActivityIds: ['approve'], updateEventTrigger: false },
    ]);
    const validation = await cli(['migrate', '--from', 'review:1', '--to', 'review:2', '--validate-only']);
    expect(validation).toMatchObject({ code: 0 });
    expect(validation.stdout).toContain(
      `it would migrate ${INSTANCES} instance(s) from review:1 to review:2`,
    );

    const tasks = await request(stack.app)
      .get(`/engine-rest/task?taskDefinitionKey=approve&maxResults=${STUCK}`)
      .set(authorized())
      .expect(200);
    const stuck = (tasks.body as Array<{ id: string; processInstanceId: string }>).map(
      (task) => task.processInstanceId,
    );
    for (const task of tasks.body as Array<{ id: string }>) {
      await request(stack.app)
        .post(`/engine-rest/task/${task.id}/complete`)
        .set(authorized())
        .send({})
        .expect(204);
    }

    const migration = await cli([
      'migrate',
      '--from',
      'review:1',
      '--to',
      'review:2',
      '--generate',
      '--async',
      '--watch',
    ]);
    expect(migration.code).toBe(1);
    const batchId = /batch ([0-9a-f-]{36})/.exec(migration.stderr)?.[1] ?? '';
    expect(migration.stderr).toContain(
      `Migrating ${INSTANCES} instance(s) from review:1 to review:2: batch ${batchId}`,
    );
    expect(migration.stderr).toMatch(/^\d+\/2000 done, \d+ failed, \d+ pending, [\d.]+ instances\/s/m);
    expect(migration.stdout).toContain(`Batch ${batchId}: ${STUCK} of ${INSTANCES} instances failed`);
    expect(migration.stdout).toMatch(
      new RegExp(
        `^  ${STUCK} × MigratingProcessInstanceValidationException: .+There is no migration instruction for this instance's activity \\(e\\.g\\. instance (${stuck.join('|')})\\)$`,
        'm',
      ),
    );

    const watched = json(await cli(['--json', 'batch', batchId])) as {
      progress: { done: number; failed: number; total: number };
      failures: Array<{ reason: string; count: number; sample: { processInstanceId: string } }>;
    };
    expect(watched.progress).toMatchObject({ total: INSTANCES, done: INSTANCES - STUCK, failed: STUCK });
    expect(watched.failures).toEqual([expect.objectContaining({ count: STUCK })]);
    expect(stuck).toContain(watched.failures[0]!.sample.processInstanceId);

    const shown = await cli(['batch', batchId]);
    expect(shown.stdout).toContain(`${INSTANCES - STUCK}/${INSTANCES} done, ${STUCK} failed, 0 pending`);
    expect(shown.stdout).toContain(`  ${STUCK} × MigratingProcessInstanceValidationException`);

    // Repair: the stuck instances go back to `approve`, which v2 has.
    const repair = await cli([
      'modify',
      '--definition',
      'review:1',
      '--instruction',
      'cancel:check',
      '--instruction',
      'startBeforeActivity:approve',
      '--where',
      '{"activityIdIn":["check"]}',
    ]);
    expect(repair).toMatchObject({ code: 0 });
    expect(repair.stdout).toContain(`Modified ${STUCK} instance(s) of review:1`);

    const retried = await cli(['--json', 'retry', batchId, '--watch']);
    expect(retried.code).toBe(0);
    expect(json(retried)).toMatchObject({
      succeeded: true,
      progress: { done: INSTANCES, failed: 0, pending: 0 },
    });

    const counts = await request(stack.app)
      .get('/engine-rest/process-instance/count?processDefinitionKey=review')
      .set(authorized())
      .expect(200);
    expect(counts.body).toEqual({ count: INSTANCES });
    const onV2 = json(await cli(['--json', 'definitions', '--key', 'review'])) as Array<{
      instances: number;
    }>;
    expect(onV2.map((definition) => definition.instances)).toEqual([0, INSTANCES]);

    // A clean migration (v3 is v2 deployed again): progress on the way, exit code 0.
    expect((await cli(['deploy', join(FIXTURES, 'review-v2.bpmn')])).code).toBe(0);
    const clean = await cli([
      'migrate',
      '--from',
      'review:2',
      '--to',
      'review:3',
      '--generate',
      '--async',
      '--watch',
    ]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`completed: every one of ${INSTANCES} instances succeeded`);
    expect(clean.stderr).toMatch(/^\d+\/2000 done, 0 failed, \d+ pending/m);
  }, 180_000);

  it('lists batches with their state and runs a modification batch without watching', async () => {
    const started = json(
      await cli([
        '--json',
        'modify',
        '--definition',
        'review',
        '--instruction',
        'startBeforeActivity:ship',
        '--async',
      ]),
    ) as { id: string };
    const followed = await cli(['batch', started.id, '--watch']);
    expect(followed.code).toBe(0);
    expect(followed.stdout).toContain(
      `Batch ${started.id} completed: every one of ${INSTANCES} instances succeeded`,
    );

    const listed = await cli(['batches']);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.split('\n');
    expect(rows[0]).toMatch(/^ID\s+TYPE\s+STATE\s+DONE\s+FAILED\s+TOTAL/);
    expect(rows.find((row) => row.startsWith(started.id))).toMatch(
      new RegExp(`instance-modification\\s+completed\\s+${INSTANCES}\\s+0\\s+${INSTANCES}`),
    );
  }, 120_000);

  it('answers exit code 2 with the reason for bad input, unknown definitions and missing credentials', async () => {
    const unknown = await cli(['migrate', '--from', 'nope', '--to', 'review']);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain("No process definition 'nope'");

    const badWhere = await cli(['migrate', '--from', 'review:1', '--to', 'review:2', '--where', '[1']);
    expect(badWhere).toMatchObject({ code: 2 });
    expect(badWhere.stderr).toContain('--where must be a JSON object');

    const badInstruction = await cli(['modify', '--definition', 'review', '--instruction', 'jump:x']);
    expect(badInstruction).toMatchObject({ code: 2 });
    expect(badInstruction.stderr).toContain("'jump:x' is not an instruction");

    const anonymous = await cli(['batches'], {});
    expect(anonymous).toMatchObject({ code: 2 });
    expect(anonymous.stderr).toMatch(/^\w+: .+/);

    const missingBatch = await cli(['batch', 'no-such-batch']);
    expect(missingBatch).toMatchObject({ code: 2 });
    expect(missingBatch.stderr).toContain("Batch with id 'no-such-batch' does not exist");
  });

  it('runs as the package bin, with the service and credentials from the environment', async () => {
    // Run as the package's bin is: the built file itself, through its shebang (it must be executable).
    const { stdout } = await promisify(execFile)(
      join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'main.js'),
      ['definitions', '--key', 'review'],
      { env: { ...process.env, BATCH_OPS_URL: `${url}/engine-rest`, ...AUTH } },
    );
    expect(stdout.split('\n')[0]).toMatch(/^KEY\s+VERSION\s+INSTANCES\s+FAILED JOBS\s+ID$/);
    expect(stdout).toMatch(new RegExp(`^review\\s+3\\s+${INSTANCES}\\s+0\\s+review:3:`, 'm'));
  });
});
