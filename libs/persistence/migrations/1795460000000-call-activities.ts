import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Call activities: a called instance names the instance and the call activity instance that started
 * it, and the root of its call hierarchy (`NULL` on an instance that is its own root); history keeps
 * the super and root instance ids, and a call activity's historic row the called instance's id.
 */
export class CallActivities1795460000000 implements MigrationInterface {
  name = 'CallActivities1795460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ru_process_instance
      ADD COLUMN super_process_instance_id VARCHAR(64) NULL,
      ADD COLUMN super_activity_instance_id VARCHAR(300) NULL,
      ADD COLUMN root_process_instance_id VARCHAR(64) NULL,
      ADD KEY ru_pi_super (super_process_instance_id),
      ADD KEY ru_pi_super_activity (super_activity_instance_id)`);
    await queryRunner.query(`ALTER TABLE hi_process_instance
      ADD COLUMN super_process_instance_id VARCHAR(64) NULL,
      ADD COLUMN root_process_instance_id VARCHAR(64) NULL,
      ADD KEY hi_pi_super (super_process_instance_id)`);
    await queryRunner.query(
      'ALTER TABLE hi_activity_instance ADD COLUMN called_process_instance_id VARCHAR(64) NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE hi_activity_instance DROP COLUMN called_process_instance_id');
    await queryRunner.query(`ALTER TABLE hi_process_instance DROP KEY hi_pi_super,
      DROP COLUMN super_process_instance_id, DROP COLUMN root_process_instance_id`);
    await queryRunner.query(`ALTER TABLE ru_process_instance DROP KEY ru_pi_super, DROP KEY ru_pi_super_activity,
      DROP COLUMN super_process_instance_id, DROP COLUMN super_activity_instance_id,
      DROP COLUMN root_process_instance_id`);
  }
}
