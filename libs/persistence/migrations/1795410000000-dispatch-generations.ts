import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch generations: `ru_job.dispatch` grows each time a batch execution job becomes runnable again
 * (its batch activated, its retries set), `ru_batch.dispatch` each time a batch is activated. The queue
 * entry's id includes it, so re-dispatching never collides with the entry that is just parking or
 * failing the job (BullMQ ignores an add whose id still exists, which would leave the job idle).
 */
export class DispatchGenerations1795410000000 implements MigrationInterface {
  name = 'DispatchGenerations1795410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ru_job ADD COLUMN dispatch INT NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE ru_batch ADD COLUMN dispatch INT NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ru_batch DROP COLUMN dispatch');
    await queryRunner.query('ALTER TABLE ru_job DROP COLUMN dispatch');
  }
}
