import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many items each batch has, kept by the transactions that add items (creation, the seed's pages
 * of a query selection), so that the item counts polled while a batch runs cost one row, not a scan
 * of the batch's items. Kept, like the items, until the historic batch is deleted.
 */
export class BatchItemCounts1795420000000 implements MigrationInterface {
  name = 'BatchItemCounts1795420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE batch_item_count (
        batch_id VARCHAR(64) NOT NULL,
        items BIGINT NOT NULL,
        PRIMARY KEY (batch_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`INSERT INTO batch_item_count (batch_id, items)
      SELECT batch_id, COUNT(*) FROM batch_item GROUP BY batch_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE batch_item_count');
  }
}
