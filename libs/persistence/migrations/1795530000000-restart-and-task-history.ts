import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Restarted instances and task history: `hi_process_instance.restarted_process_instance_id` names the
 * ended instance a restart started this one from (Camunda's `RESTARTED_PROC_INST_ID_`);
 * `hi_task_instance` is Camunda's `ACT_HI_TASKINST`, one row per user task, written with the instance's
 * other history rows. Tasks that exist already are back-filled from their activity-instance history.
 */
export class RestartAndTaskHistory1795530000000 implements MigrationInterface {
  name = 'RestartAndTaskHistory1795530000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE hi_process_instance
      ADD COLUMN restarted_process_instance_id VARCHAR(64) NULL`);
    await queryRunner.query(`CREATE TABLE hi_task_instance (
      id VARCHAR(64) NOT NULL,
      process_instance_id VARCHAR(64) NOT NULL,
      root_process_instance_id VARCHAR(64) NULL,
      execution_id VARCHAR(64) NOT NULL,
      activity_instance_id VARCHAR(300) NOT NULL,
      definition_id VARCHAR(255) NOT NULL,
      definition_key VARCHAR(255) NOT NULL,
      task_definition_key VARCHAR(255) NOT NULL,
      name VARCHAR(255) NULL,
      assignee VARCHAR(255) NULL,
      owner VARCHAR(255) NULL,
      priority INT NOT NULL,
      due DATETIME(3) NULL,
      follow_up DATETIME(3) NULL,
      tenant_id VARCHAR(64) NULL,
      start_time DATETIME(3) NOT NULL,
      end_time DATETIME(3) NULL,
      delete_reason VARCHAR(255) NULL,
      state VARCHAR(16) NOT NULL,
      PRIMARY KEY (id),
      KEY hi_task_instance (process_instance_id),
      KEY hi_task_activity_instance (activity_instance_id),
      KEY hi_task_definition (definition_id),
      KEY hi_task_start (start_time)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // Tasks of the past, as their activity instances recorded them (details the row lacks stay empty).
    await queryRunner.query(`
      INSERT INTO hi_task_instance (id, process_instance_id, root_process_instance_id, execution_id,
          activity_instance_id, definition_id, definition_key, task_definition_key, name, assignee, owner,
          priority, due, follow_up, tenant_id, start_time, end_time, delete_reason, state)
      SELECT a.task_id, a.process_instance_id, COALESCE(p.root_process_instance_id, a.process_instance_id),
          a.execution_id, a.id, a.definition_id, a.definition_key, a.activity_id,
          COALESCE(t.name, a.activity_name), a.assignee, t.owner, COALESCE(t.priority, 50), t.due,
          t.follow_up, a.tenant_id, a.start_time, a.end_time,
          CASE WHEN a.end_time IS NULL THEN NULL WHEN a.end_reason = 'completed' THEN 'completed'
               ELSE 'deleted' END,
          CASE WHEN a.end_time IS NULL THEN 'Created' WHEN a.end_reason = 'completed' THEN 'Completed'
               ELSE 'Deleted' END
        FROM hi_activity_instance a
        LEFT JOIN hi_process_instance p ON p.id = a.process_instance_id
        LEFT JOIN ru_task t ON t.id = a.task_id
       WHERE a.task_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE hi_task_instance');
    await queryRunner.query('ALTER TABLE hi_process_instance DROP COLUMN restarted_process_instance_id');
  }
}
