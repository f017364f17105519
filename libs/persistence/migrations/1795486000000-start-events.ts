import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Process-level start events with a trigger: `re_start_event` lists the message, signal and timer start
 * events of every definition (written at deployment, gone with it), so a message or signal finds the
 * latest definitions it starts with one indexed query; timer start jobs are `ru_job` rows without an
 * instance that name their definition (`process_definition_id`).
 */
export class StartEvents1795486000000 implements MigrationInterface {
  name = 'StartEvents1795486000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE re_start_event (
        definition_id VARCHAR(255) NOT NULL,
        activity_id VARCHAR(255) NOT NULL,
        type VARCHAR(16) NOT NULL,
        event_name VARCHAR(255) NULL,
        created DATETIME(3) NOT NULL,
        PRIMARY KEY (definition_id, activity_id),
        KEY re_start_event_name (type, event_name),
        CONSTRAINT re_start_event_definition FOREIGN KEY (definition_id) REFERENCES re_process_definition (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`ALTER TABLE ru_job
      ADD COLUMN process_definition_id VARCHAR(255) NULL,
      ADD KEY ru_job_process_definition (process_definition_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM ru_job WHERE process_definition_id IS NOT NULL');
    await queryRunner.query(
      'ALTER TABLE ru_job DROP KEY ru_job_process_definition, DROP COLUMN process_definition_id',
    );
    await queryRunner.query('DROP TABLE re_start_event');
  }
}
