import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `camunda:isStartableInTasklist` of each definition (Camunda's default: true). */
export class StartableInTasklist1795425000000 implements MigrationInterface {
  name = 'StartableInTasklist1795425000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE re_process_definition ADD COLUMN startable_in_tasklist TINYINT(1) NOT NULL DEFAULT 1',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE re_process_definition DROP COLUMN startable_in_tasklist');
  }
}
