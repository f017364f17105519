import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History details Camunda's REST DTOs report: the activity a process instance started at
 * (`startActivityId`) and whether an activity instance completed its scope (`completeScope`, i.e. it
 * ended a path that has no outgoing flow). Rows written before this migration are back-filled: the
 * first activity of each instance, and completed end events.
 */
export class HistoryDetails1795356400000 implements MigrationInterface {
  name = 'HistoryDetails1795356400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE hi_process_instance ADD COLUMN start_activity_id VARCHAR(255) NULL AFTER state',
    );
    await queryRunner.query(
      'ALTER TABLE hi_process_instance ADD KEY hi_pi_end (end_time), ADD KEY hi_pi_definition_key (definition_key)',
    );
    await queryRunner.query(
      'ALTER TABLE hi_activity_instance ADD COLUMN complete_scope TINYINT(1) NOT NULL DEFAULT 0 AFTER end_reason',
    );
    await queryRunner.query(`
      UPDATE hi_process_instance h
         SET h.start_activity_id = (
               SELECT a.activity_id FROM hi_activity_instance a
                WHERE a.process_instance_id = h.id AND a.parent_activity_instance_id = h.id
                ORDER BY a.sequence_counter LIMIT 1)
       WHERE h.start_activity_id IS NULL`);
    await queryRunner.query(`
      UPDATE hi_activity_instance SET complete_scope = 1
       WHERE end_reason = 'completed' AND activity_type IN ('noneEndEvent', 'terminateEndEvent')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE hi_activity_instance DROP COLUMN complete_scope');
    await queryRunner.query(
      'ALTER TABLE hi_process_instance DROP KEY hi_pi_end, DROP KEY hi_pi_definition_key, DROP COLUMN start_activity_id',
    );
  }
}
