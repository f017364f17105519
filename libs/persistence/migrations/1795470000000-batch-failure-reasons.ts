import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a batch item failed, with what differs from instance to instance taken out (`reason`, written
 * with the failure), and a stored digest of it indexed per batch and state, so the failures of a batch
 * group by reason with one indexed `GROUP BY` however many items failed. Items that failed before get
 * their error's type and message as their reason, with the ids taken out.
 */
export class BatchFailureReasons1795470000000 implements MigrationInterface {
  name = 'BatchFailureReasons1795470000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE batch_item
      ADD COLUMN reason VARCHAR(1000) NULL,
      ADD COLUMN reason_hash CHAR(40) AS (SHA1(reason)) STORED,
      ADD KEY batch_item_reason (batch_id, state, reason_hash)`);
    await queryRunner.query(`UPDATE batch_item
      SET reason = LEFT(REGEXP_REPLACE(
        CONCAT(JSON_VALUE(error, '$.type'), ': ', JSON_VALUE(error, '$.message')),
        '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '<id>'), 1000)
      WHERE state = 'failed' AND error IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE batch_item DROP KEY batch_item_reason, DROP COLUMN reason_hash, DROP COLUMN reason',
    );
  }
}
