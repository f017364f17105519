import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The user operation log (Camunda's `ACT_HI_OP_LOG`): one row per changed property of an operation,
 * the rows of one operation sharing `operation_id`. Written in the transaction of the operation (or of
 * the batch creation), so an entry exists exactly when the operation took effect.
 */
export class OperationLog1795360000000 implements MigrationInterface {
  name = 'OperationLog1795360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE hi_user_operation_log (
        id VARCHAR(64) NOT NULL,
        operation_id VARCHAR(64) NOT NULL,
        operation_type VARCHAR(64) NOT NULL,
        entity_type VARCHAR(64) NOT NULL,
        category VARCHAR(64) NULL,
        user_id VARCHAR(255) NULL,
        timestamp DATETIME(3) NOT NULL,
        sequence_counter INT NOT NULL DEFAULT 0,
        deployment_id VARCHAR(64) NULL,
        process_definition_id VARCHAR(255) NULL,
        process_definition_key VARCHAR(255) NULL,
        process_instance_id VARCHAR(64) NULL,
        batch_id VARCHAR(64) NULL,
        tenant_id VARCHAR(64) NULL,
        property VARCHAR(64) NULL,
        org_value TEXT NULL,
        new_value TEXT NULL,
        annotation TEXT NULL,
        PRIMARY KEY (id),
        KEY hi_op_log_timestamp (timestamp),
        KEY hi_op_log_operation (operation_id),
        KEY hi_op_log_instance (process_instance_id),
        KEY hi_op_log_definition (process_definition_id),
        KEY hi_op_log_definition_key (process_definition_key),
        KEY hi_op_log_user (user_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE hi_user_operation_log');
  }
}
