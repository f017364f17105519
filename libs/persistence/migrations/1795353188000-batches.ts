import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * Batches: the runtime batch, its items (one per selected process instance, kept after the batch ends
 * with their outcome), its history row, and batch execution jobs as rows of ru_job (no process instance,
 * a job definition and batch id instead). ru_process_instance gets a monotonic `seq` so a selection can
 * be fixed at creation by a high-water mark and paged by keyset without holding ids in memory.
 */
export class Batches1795353188000 implements MigrationInterface {
  name = 'Batches1795353188000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE ru_process_instance ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT UNIQUE, ADD KEY ru_pi_definition_seq (definition_id, seq)',
    );
    await queryRunner.query(`ALTER TABLE ru_job
      MODIFY process_instance_id VARCHAR(64) NULL,
      MODIFY activity_id VARCHAR(255) NULL,
      MODIFY activity_instance_id VARCHAR(300) NULL,
      MODIFY execution_id VARCHAR(64) NULL,
      ADD COLUMN job_definition_id VARCHAR(64) NULL,
      ADD COLUMN batch_id VARCHAR(64) NULL,
      ADD COLUMN handler_type VARCHAR(64) NULL,
      ADD COLUMN suspended TINYINT(1) NOT NULL DEFAULT 0,
      ADD COLUMN priority BIGINT NOT NULL DEFAULT 0,
      ADD KEY ru_job_definition (job_definition_id, retries),
      ADD KEY ru_job_batch (batch_id, id)`);
    await queryRunner.query(`CREATE TABLE ru_batch (
      id VARCHAR(64) NOT NULL,
      type VARCHAR(64) NOT NULL,
      total_jobs INT NOT NULL,
      jobs_created INT NOT NULL DEFAULT 0,
      batch_jobs_per_seed INT NOT NULL,
      invocations_per_batch_job INT NOT NULL,
      seed_job_definition_id VARCHAR(64) NOT NULL,
      monitor_job_definition_id VARCHAR(64) NOT NULL,
      batch_job_definition_id VARCHAR(64) NOT NULL,
      suspended TINYINT(1) NOT NULL DEFAULT 0,
      tenant_id VARCHAR(64) NULL,
      create_user_id VARCHAR(255) NULL,
      start_time DATETIME(3) NOT NULL,
      execution_start_time DATETIME(3) NULL,
      configuration LONGTEXT NOT NULL,
      selection LONGTEXT NULL,
      selection_high_water BIGINT NOT NULL DEFAULT 0,
      selection_cursor BIGINT NOT NULL DEFAULT 0,
      selection_done TINYINT(1) NOT NULL DEFAULT 1,
      seeding_done TINYINT(1) NOT NULL DEFAULT 0,
      PRIMARY KEY (id),
      UNIQUE KEY ru_batch_job_definition (batch_job_definition_id),
      KEY ru_batch_start (start_time)
    ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`CREATE TABLE batch_item (
      id BIGINT NOT NULL AUTO_INCREMENT,
      batch_id VARCHAR(64) NOT NULL,
      process_instance_id VARCHAR(64) NOT NULL,
      job_id VARCHAR(64) NULL,
      state VARCHAR(16) NOT NULL DEFAULT 'pending',
      error LONGTEXT NULL,
      updated DATETIME(3) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY batch_item_instance (batch_id, process_instance_id),
      KEY batch_item_job (job_id),
      KEY batch_item_unassigned (batch_id, job_id, id),
      KEY batch_item_state (batch_id, state, id)
    ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`CREATE TABLE hi_batch (
      id VARCHAR(64) NOT NULL,
      type VARCHAR(64) NOT NULL,
      total_jobs INT NOT NULL,
      batch_jobs_per_seed INT NOT NULL,
      invocations_per_batch_job INT NOT NULL,
      seed_job_definition_id VARCHAR(64) NOT NULL,
      monitor_job_definition_id VARCHAR(64) NOT NULL,
      batch_job_definition_id VARCHAR(64) NOT NULL,
      tenant_id VARCHAR(64) NULL,
      create_user_id VARCHAR(255) NULL,
      start_time DATETIME(3) NOT NULL,
      end_time DATETIME(3) NULL,
      removal_time DATETIME(3) NULL,
      execution_start_time DATETIME(3) NULL,
      PRIMARY KEY (id),
      KEY hi_batch_start (start_time),
      KEY hi_batch_end (end_time)
    ) ${TABLE_OPTIONS}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE hi_batch');
    await queryRunner.query('DROP TABLE batch_item');
    await queryRunner.query('DROP TABLE ru_batch');
    await queryRunner.query('DELETE FROM ru_job WHERE process_instance_id IS NULL');
    await queryRunner.query(`ALTER TABLE ru_job DROP KEY ru_job_definition, DROP KEY ru_job_batch,
      DROP COLUMN job_definition_id, DROP COLUMN batch_id, DROP COLUMN handler_type, DROP COLUMN suspended, DROP COLUMN priority`);
    await queryRunner.query('ALTER TABLE ru_process_instance DROP KEY ru_pi_definition_seq, DROP COLUMN seq');
  }
}
