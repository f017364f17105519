import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ru_task.last_updated`: when a task property (the assignee) last changed after creation, which the
 * REST API reports as `lastUpdated` and as `taskState` `Updated`.
 */
export class TaskLastUpdated1795353291000 implements MigrationInterface {
  name = 'TaskLastUpdated1795353291000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ru_task ADD COLUMN last_updated DATETIME(3) NULL AFTER created');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ru_task DROP COLUMN last_updated');
  }
}
