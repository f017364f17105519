import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * For the operators' console: the history row keeps the batch's configuration (plan or instructions,
 * shown once the runtime row is gone) and how it ended (`completed` or `deleted`); batch items are
 * found by instance (the batches that touched an instance); an item can be given up (`skipped`).
 */
export class Console1795480000000 implements MigrationInterface {
  name = 'Console1795480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE hi_batch
      ADD COLUMN configuration LONGTEXT NULL,
      ADD COLUMN end_state VARCHAR(16) NULL,
      ADD KEY hi_batch_type_start (type, start_time),
      ADD KEY hi_batch_user_start (create_user_id, start_time)`);
    await queryRunner.query(
      'UPDATE hi_batch h JOIN ru_batch r ON r.id = h.id SET h.configuration = r.configuration',
    );
    await queryRunner.query(
      "UPDATE hi_batch SET end_state = 'completed' WHERE end_time IS NOT NULL AND end_state IS NULL",
    );
    await queryRunner.query('ALTER TABLE batch_item ADD KEY batch_item_subject (process_instance_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE batch_item DROP KEY batch_item_subject');
    await queryRunner.query(`ALTER TABLE hi_batch DROP KEY hi_batch_type_start, DROP KEY hi_batch_user_start,
      DROP COLUMN end_state, DROP COLUMN configuration`);
  }
}
