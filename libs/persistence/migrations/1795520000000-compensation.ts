import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compensation: `compensate` subscriptions have no event name and may reference the snapshot scope
 * they compensate (`configuration`, Camunda's column of that name); `ru_event_scope` holds the
 * snapshots of completed sub-processes and multi-instance bodies (Camunda's event-scope executions);
 * `ru_activity_instance.compensation_throw_id` names the compensation throw event a handler (or a
 * re-entered snapshot scope) runs for.
 */
export class Compensation1795520000000 implements MigrationInterface {
  name = 'Compensation1795520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ru_event_subscription MODIFY event_name VARCHAR(255) NULL,
         ADD COLUMN configuration VARCHAR(64) NULL`,
    );
    await queryRunner.query(
      'ALTER TABLE ru_activity_instance ADD COLUMN compensation_throw_id VARCHAR(300) NULL',
    );
    await queryRunner.query(`CREATE TABLE ru_event_scope (
      id VARCHAR(64) NOT NULL,
      process_instance_id VARCHAR(64) NOT NULL,
      parent_id VARCHAR(300) NOT NULL,
      activity_id VARCHAR(255) NOT NULL,
      created DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      KEY ru_event_scope_instance (process_instance_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ru_event_scope');
    await queryRunner.query('ALTER TABLE ru_activity_instance DROP COLUMN compensation_throw_id');
    await queryRunner.query("UPDATE ru_event_subscription SET event_name = '' WHERE event_name IS NULL");
    await queryRunner.query(
      `ALTER TABLE ru_event_subscription DROP COLUMN configuration,
         MODIFY event_name VARCHAR(255) NOT NULL`,
    );
  }
}
