import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History of jobs and incidents: `hi_job_log` (one row per job event: created, failed, successful,
 * deleted, with the failure's stack trace) and `hi_incident` (every incident from creation to its end:
 * open, resolved or deleted); `annotation` on incidents (runtime and history).
 */
export class JobLog1795450000000 implements MigrationInterface {
  name = 'JobLog1795450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE hi_job_log (
      id VARCHAR(64) NOT NULL,
      timestamp DATETIME(3) NOT NULL,
      job_id VARCHAR(64) NOT NULL,
      job_due_date DATETIME(3) NULL,
      job_retries INT NOT NULL,
      job_priority BIGINT NOT NULL DEFAULT 0,
      job_exception_message TEXT NULL,
      job_exception_stack_trace MEDIUMTEXT NULL,
      failed_activity_id VARCHAR(255) NULL,
      job_definition_id VARCHAR(64) NULL,
      job_definition_type VARCHAR(255) NULL,
      job_definition_configuration VARCHAR(300) NULL,
      activity_id VARCHAR(255) NULL,
      execution_id VARCHAR(64) NULL,
      process_instance_id VARCHAR(64) NULL,
      process_definition_id VARCHAR(255) NULL,
      process_definition_key VARCHAR(255) NULL,
      tenant_id VARCHAR(64) NULL,
      hostname VARCHAR(255) NULL,
      sequence_counter BIGINT NOT NULL,
      state TINYINT NOT NULL,
      PRIMARY KEY (id),
      KEY hi_job_log_job (job_id, sequence_counter),
      KEY hi_job_log_instance (process_instance_id),
      KEY hi_job_log_job_definition (job_definition_id),
      KEY hi_job_log_process_definition (process_definition_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE hi_incident (
      id VARCHAR(64) NOT NULL,
      incident_type VARCHAR(64) NOT NULL,
      incident_message TEXT NULL,
      create_time DATETIME(3) NOT NULL,
      end_time DATETIME(3) NULL,
      incident_state TINYINT NOT NULL,
      configuration VARCHAR(64) NULL,
      history_configuration VARCHAR(64) NULL,
      process_instance_id VARCHAR(64) NULL,
      process_definition_id VARCHAR(255) NULL,
      process_definition_key VARCHAR(255) NULL,
      execution_id VARCHAR(64) NULL,
      activity_id VARCHAR(255) NULL,
      job_definition_id VARCHAR(64) NULL,
      tenant_id VARCHAR(64) NULL,
      annotation TEXT NULL,
      PRIMARY KEY (id),
      KEY hi_incident_instance (process_instance_id),
      KEY hi_incident_configuration (configuration),
      KEY hi_incident_definition (process_definition_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query('ALTER TABLE ru_incident ADD COLUMN annotation TEXT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ru_incident DROP COLUMN annotation');
    await queryRunner.query('DROP TABLE hi_incident');
    await queryRunner.query('DROP TABLE hi_job_log');
  }
}
