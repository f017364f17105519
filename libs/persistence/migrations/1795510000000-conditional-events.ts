import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Conditional subscriptions have no event name, as in Camunda: `ru_event_subscription.event_name` may be NULL. */
export class ConditionalEvents1795510000000 implements MigrationInterface {
  name = 'ConditionalEvents1795510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ru_event_subscription MODIFY event_name VARCHAR(255) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DELETE FROM ru_event_subscription WHERE type = 'conditional'");
    await queryRunner.query('ALTER TABLE ru_event_subscription MODIFY event_name VARCHAR(255) NOT NULL');
  }
}
