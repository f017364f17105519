import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Variable history (Camunda's `ACT_HI_VARINST` and the variable updates of `ACT_HI_DETAIL`):
 * `hi_variable_instance`, one row per variable instance with its latest value, state (CREATED or
 * DELETED) and revision; `hi_detail`, one row per change of a variable (its value then, revision,
 * `is_initial`). A variable instance's process definition is read from its instance's history row, which
 * a migration moves along (Camunda's variable "migrate" event). Variables that already exist are
 * back-filled as created when their instance started.
 */
export class VariableHistory1795500000000 implements MigrationInterface {
  name = 'VariableHistory1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE hi_variable_instance (
      id VARCHAR(64) NOT NULL,
      name VARCHAR(255) NOT NULL,
      type VARCHAR(16) NOT NULL,
      text_value LONGTEXT NULL,
      number_value DOUBLE NULL,
      state VARCHAR(8) NOT NULL,
      create_time DATETIME(3) NOT NULL,
      revision INT NOT NULL,
      process_instance_id VARCHAR(64) NOT NULL,
      root_process_instance_id VARCHAR(64) NULL,
      tenant_id VARCHAR(64) NULL,
      activity_instance_id VARCHAR(300) NOT NULL,
      execution_id VARCHAR(300) NOT NULL,
      PRIMARY KEY (id),
      KEY hi_var_instance (process_instance_id, name),
      KEY hi_var_name (name),
      KEY hi_var_activity_instance (activity_instance_id),
      KEY hi_var_execution (execution_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`CREATE TABLE hi_detail (
      id VARCHAR(64) NOT NULL,
      variable_instance_id VARCHAR(64) NOT NULL,
      name VARCHAR(255) NOT NULL,
      type VARCHAR(16) NOT NULL,
      text_value LONGTEXT NULL,
      number_value DOUBLE NULL,
      time DATETIME(3) NOT NULL,
      sequence_counter BIGINT NOT NULL,
      revision INT NOT NULL,
      is_initial TINYINT(1) NOT NULL,
      process_instance_id VARCHAR(64) NOT NULL,
      process_definition_id VARCHAR(255) NOT NULL,
      process_definition_key VARCHAR(255) NOT NULL,
      root_process_instance_id VARCHAR(64) NULL,
      tenant_id VARCHAR(64) NULL,
      activity_instance_id VARCHAR(300) NOT NULL,
      execution_id VARCHAR(300) NOT NULL,
      PRIMARY KEY (id),
      KEY hi_detail_instance (process_instance_id, sequence_counter),
      KEY hi_detail_variable (variable_instance_id),
      KEY hi_detail_time (time)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // Variables of running instances, as Camunda's fallback creates a missing historic variable.
    await queryRunner.query(`
      INSERT INTO hi_variable_instance (id, name, type, text_value, number_value, state, create_time, revision,
             process_instance_id, root_process_instance_id, tenant_id, activity_instance_id, execution_id)
      SELECT v.id, v.name, v.type, v.text_value, v.number_value, 'CREATED', p.start_time, 1,
             v.process_instance_id, COALESCE(h.root_process_instance_id, v.process_instance_id), p.tenant_id,
             v.scope_id, COALESCE(a.execution_id, v.scope_id)
        FROM ru_variable v
        JOIN ru_process_instance p ON p.id = v.process_instance_id
        LEFT JOIN hi_process_instance h ON h.id = v.process_instance_id
        LEFT JOIN ru_activity_instance a ON a.id = v.scope_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE hi_detail');
    await queryRunner.query('DROP TABLE hi_variable_instance');
  }
}
