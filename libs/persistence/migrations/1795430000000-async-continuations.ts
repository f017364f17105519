import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Asynchronous continuations as `ru_job` rows (`type` 'message', `handler_type` 'async-continuation'):
 * the operation they resume in Camunda's words (`handler_configuration`: `transition-create-scope`,
 * `transition-notify-listener-take$<flowId>` or `activity-end`), their exclusivity and the stack trace
 * of their last failure; and `ru_incident`, the failed jobs' incidents (one per job at most).
 */
export class AsyncContinuations1795430000000 implements MigrationInterface {
  name = 'AsyncContinuations1795430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ru_job
      ADD COLUMN handler_configuration VARCHAR(300) NULL,
      ADD COLUMN exclusive TINYINT(1) NOT NULL DEFAULT 1,
      ADD COLUMN exception_stack_trace MEDIUMTEXT NULL`);
    await queryRunner.query(`CREATE TABLE ru_incident (
      id VARCHAR(64) NOT NULL,
      incident_type VARCHAR(64) NOT NULL,
      incident_message TEXT NULL,
      incident_timestamp DATETIME(3) NOT NULL,
      configuration VARCHAR(64) NOT NULL,
      process_instance_id VARCHAR(64) NULL,
      process_definition_id VARCHAR(255) NULL,
      execution_id VARCHAR(64) NULL,
      activity_id VARCHAR(255) NULL,
      job_definition_id VARCHAR(64) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY ru_incident_configuration (incident_type, configuration),
      KEY ru_incident_instance (process_instance_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ru_incident');
    await queryRunner.query(
      'ALTER TABLE ru_job DROP COLUMN handler_configuration, DROP COLUMN exclusive, DROP COLUMN exception_stack_trace',
    );
  }
}
