import type { MigrationInterface, QueryRunner } from 'typeorm';
import { parseBpmn } from '@libs/bpmn';
import { jobDefinitionsOf, timerJobDefinitionId } from '@libs/engine';
import { insertRows, sqlOfManager, type Sql } from '../sql';

/**
 * Job definitions of process definitions (`ru_job_definition`: one per asynchronous continuation and
 * timer event, written at deployment, deleted with the definition), with Camunda's suspension state
 * and overriding job priority. A batch's three job definitions are not stored here: they are read from
 * `ru_batch`, so they live and die with their batch.
 *
 * Backfill: the job definitions of every deployed definition (its BPMN parsed again), the job
 * definition id of existing timer rows, and the suspension of the jobs of suspended instances (job
 * suspension is now the job row's own state).
 */
export class JobDefinitions1795440000000 implements MigrationInterface {
  name = 'JobDefinitions1795440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE ru_job_definition (
      id VARCHAR(64) NOT NULL,
      process_definition_id VARCHAR(255) NOT NULL,
      process_definition_key VARCHAR(255) NOT NULL,
      activity_id VARCHAR(255) NOT NULL,
      job_type VARCHAR(255) NOT NULL,
      job_configuration TEXT NOT NULL,
      suspended TINYINT(1) NOT NULL DEFAULT 0,
      overriding_priority BIGINT NULL,
      tenant_id VARCHAR(64) NULL,
      deployment_id VARCHAR(64) NOT NULL,
      PRIMARY KEY (id),
      KEY ru_job_definition_process (process_definition_id),
      KEY ru_job_definition_key (process_definition_key),
      CONSTRAINT ru_job_definition_process FOREIGN KEY (process_definition_id)
        REFERENCES re_process_definition (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    const sql = sqlOfManager(queryRunner.manager);
    await backfillDefinitions(sql);
    await backfillTimerDefinitionIds(sql);
    await sql.execute(`UPDATE ru_job j JOIN ru_process_instance p ON p.id = j.process_instance_id
      SET j.suspended = 1 WHERE p.suspended = 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ru_job_definition');
  }
}

async function backfillDefinitions(sql: Sql): Promise<void> {
  const definitions = await sql.select<{
    id: string;
    def_key: string;
    tenant_id: string | null;
    deployment_id: string;
    content: string;
  }>(`SELECT d.id, d.def_key, d.tenant_id, d.deployment_id, r.content
        FROM re_process_definition d JOIN re_resource r ON r.id = d.resource_id`);
  for (const definition of definitions) {
    const parsed = await parseBpmn(String(definition.content)).catch(() => undefined);
    const model = parsed?.ok
      ? parsed.processes.find((process) => process.id === definition.def_key)
      : undefined;
    if (!model) continue;
    await insertRows(
      sql,
      'ru_job_definition',
      [
        'id',
        'process_definition_id',
        'process_definition_key',
        'activity_id',
        'job_type',
        'job_configuration',
        'tenant_id',
        'deployment_id',
      ],
      jobDefinitionsOf(model, definition.id).map((declaration) => [
        declaration.id,
        definition.id,
        definition.def_key,
        declaration.activityId,
        declaration.jobType,
        declaration.jobConfiguration,
        definition.tenant_id,
        definition.deployment_id,
      ]),
    );
  }
}

async function backfillTimerDefinitionIds(sql: Sql): Promise<void> {
  const timers = await sql.select<{ id: string; activity_id: string; definition_id: string }>(
    `SELECT j.id, j.activity_id, p.definition_id FROM ru_job j
       JOIN ru_process_instance p ON p.id = j.process_instance_id
      WHERE j.type = 'timer' AND j.job_definition_id IS NULL`,
  );
  for (const timer of timers) {
    await sql.execute('UPDATE ru_job SET job_definition_id = ? WHERE id = ?', [
      timerJobDefinitionId(timer.definition_id, timer.activity_id),
      timer.id,
    ]);
  }
}
