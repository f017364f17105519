import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event subscriptions keep the order they were created in (`seq`), so an instance read back lists them
 * as its engine created them: compensation runs the handlers of activities completed in one transaction
 * (same `created` millisecond) newest first, the same way every time.
 */
export class SubscriptionOrder1795560000000 implements MigrationInterface {
  name = 'SubscriptionOrder1795560000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE ru_event_subscription ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT, ADD UNIQUE KEY ru_event_subscription_seq (seq)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE ru_event_subscription DROP KEY ru_event_subscription_seq, DROP COLUMN seq',
    );
  }
}
