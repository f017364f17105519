import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Message, signal and conditional start events are listed by `GET /event-subscription` as Camunda's
 * start subscriptions (no execution, no instance): each `re_start_event` row gets the id it is listed
 * under, kept for as long as its definition exists.
 */
export class StartSubscriptionIds1795550000000 implements MigrationInterface {
  name = 'StartSubscriptionIds1795550000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE re_start_event ADD COLUMN id VARCHAR(64) NULL');
    await queryRunner.query('UPDATE re_start_event SET id = UUID() WHERE id IS NULL');
    await queryRunner.query(
      'ALTER TABLE re_start_event MODIFY id VARCHAR(64) NOT NULL, ADD UNIQUE KEY re_start_event_id (id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE re_start_event DROP KEY re_start_event_id, DROP COLUMN id');
  }
}
