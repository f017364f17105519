import { asyncJobDefinitionId, timerJobDefinitionId } from '@libs/engine';
import { sqlOf } from '@libs/persistence';
import { JobDefinitions1795440000000 } from '../../libs/persistence/migrations/1795440000000-job-definitions';
import { useMigratedDatabase } from '../support/migrated-database';
import { fixture } from '../support/rest';

/**
 * Migration 1795440000000 on data written before it: the job definitions of deployed definitions are
 * derived from their BPMN, existing timers get their job definition, and the jobs of suspended instances
 * become suspended jobs.
 */
describe('the job-definitions migration', () => {
  const dataSource = useMigratedDatabase();

  it('backfills job definitions, timer job definition ids and the suspension of suspended instances’ jobs', async () => {
    const sql = sqlOf(dataSource());
    const migration = new JobDefinitions1795440000000();
    const runMigration = async (step: 'up' | 'down') => {
      const runner = dataSource().createQueryRunner();
      try {
        await migration[step](runner);
      } finally {
        await runner.release();
      }
    };
    // Back to the schema before it, with a deployment, a suspended instance, a timer and an async job.
    await runMigration('down');
    const definitionId = 'prioritised:1:d';
    await sql.execute("INSERT INTO re_deployment (id, deployment_time) VALUES ('d1', NOW(3))");
    await sql.execute(
      "INSERT INTO re_resource (id, deployment_id, name, content, content_hash) VALUES ('r1', 'd1', 'jobs.bpmn', ?, 'h')",
      [fixture('job-definitions.bpmn')],
    );
    await sql.execute(
      `INSERT INTO re_process_definition (id, def_key, version, deployment_id, resource_id, resource_name)
       VALUES (?, 'prioritised', 1, 'd1', 'r1', 'jobs.bpmn')`,
      [definitionId],
    );
    await sql.execute(
      `INSERT INTO ru_process_instance (id, definition_id, definition_key, suspended, start_time)
       VALUES ('p1', ?, 'prioritised', 1, NOW(3))`,
      [definitionId],
    );
    await sql.execute(
      `INSERT INTO ru_job (id, process_instance_id, type, activity_id, activity_instance_id, execution_id, due_date, retries, created)
       VALUES ('t1', 'p1', 'timer', 'deadline', 'work:1', 'e1', NOW(3), 3, NOW(3))`,
    );

    await runMigration('up');

    const definitions = await sql.select<{ id: string; activity_id: string; job_type: string }>(
      'SELECT id, activity_id, job_type, job_configuration FROM ru_job_definition ORDER BY activity_id',
    );
    expect(definitions).toEqual([
      {
        id: timerJobDefinitionId(definitionId, 'deadline'),
        activity_id: 'deadline',
        job_type: 'timer-transition',
        job_configuration: 'DURATION: PT2H',
      },
      {
        id: timerJobDefinitionId(definitionId, 'later'),
        activity_id: 'later',
        job_type: 'timer-intermediate-transition',
        job_configuration: 'DURATION: PT1H',
      },
      {
        id: asyncJobDefinitionId(definitionId, 'work', 'before'),
        activity_id: 'work',
        job_type: 'async-continuation',
        job_configuration: 'async-before',
      },
    ]);
    const [timer] = await sql.select('SELECT job_definition_id, suspended FROM ru_job WHERE id = ?', ['t1']);
    expect(timer).toEqual({
      job_definition_id: timerJobDefinitionId(definitionId, 'deadline'),
      suspended: 1,
    });
  });
});
