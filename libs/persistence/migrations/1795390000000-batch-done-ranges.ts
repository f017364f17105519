import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Items done by an execution job that succeeded on its first run are recorded as one range per job
 * instead of one row update per item (`state` stays `pending` in the item rows; the range says done).
 * `items` is how many items the range holds, so counts per state need no scan of the items.
 */
export class BatchDoneRanges1795390000000 implements MigrationInterface {
  name = 'BatchDoneRanges1795390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE batch_item_range (
        batch_id VARCHAR(64) NOT NULL,
        item_first BIGINT NOT NULL,
        item_last BIGINT NOT NULL,
        items INT NOT NULL,
        updated DATETIME(3) NOT NULL,
        PRIMARY KEY (batch_id, item_first)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE batch_item i JOIN batch_item_range r
        ON r.batch_id = i.batch_id AND i.id BETWEEN r.item_first AND r.item_last
       SET i.state = 'done', i.updated = r.updated WHERE i.state = 'pending'`);
    await queryRunner.query('DROP TABLE batch_item_range');
  }
}
