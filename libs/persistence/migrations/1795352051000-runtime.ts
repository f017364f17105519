import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * Runtime state of process instances (one table per record kind of the engine's state, each row
 * carrying its process instance id so N instances load with one query per table) and their history.
 */
export class Runtime1795352051000 implements MigrationInterface {
  name = 'Runtime1795352051000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of STATEMENTS) await queryRunner.query(`${statement} ${TABLE_OPTIONS}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.query(`DROP TABLE ${table}`);
  }
}

const TABLES = [
  'ru_process_instance',
  'ru_activity_instance',
  'ru_task',
  'ru_external_task',
  'ru_event_subscription',
  'ru_job',
  'ru_variable',
  'hi_process_instance',
  'hi_activity_instance',
];

const STATEMENTS = [
  `CREATE TABLE ru_process_instance (
    id VARCHAR(64) NOT NULL,
    definition_id VARCHAR(255) NOT NULL,
    definition_key VARCHAR(255) NOT NULL,
    business_key VARCHAR(255) NULL,
    tenant_id VARCHAR(64) NULL,
    suspended TINYINT(1) NOT NULL DEFAULT 0,
    start_time DATETIME(3) NOT NULL,
    revision INT NOT NULL DEFAULT 1,
    PRIMARY KEY (id),
    KEY ru_pi_definition (definition_id, id),
    KEY ru_pi_definition_key (definition_key, id),
    KEY ru_pi_business_key (business_key)
  )`,
  `CREATE TABLE ru_activity_instance (
    id VARCHAR(300) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    parent_id VARCHAR(300) NULL,
    activity_id VARCHAR(255) NOT NULL,
    activity_type VARCHAR(64) NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    start_time DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ru_ai_instance (process_instance_id),
    KEY ru_ai_activity (activity_id, process_instance_id)
  )`,
  `CREATE TABLE ru_task (
    id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    activity_instance_id VARCHAR(300) NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    task_definition_key VARCHAR(255) NOT NULL,
    name VARCHAR(255) NULL,
    assignee VARCHAR(255) NULL,
    owner VARCHAR(255) NULL,
    candidate_groups TEXT NOT NULL,
    candidate_users TEXT NOT NULL,
    due DATETIME(3) NULL,
    follow_up DATETIME(3) NULL,
    priority INT NOT NULL,
    created DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ru_task_instance (process_instance_id),
    KEY ru_task_assignee (assignee),
    KEY ru_task_definition_key (task_definition_key)
  )`,
  `CREATE TABLE ru_external_task (
    id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    activity_instance_id VARCHAR(300) NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    activity_id VARCHAR(255) NOT NULL,
    topic_name VARCHAR(255) NOT NULL,
    priority BIGINT NOT NULL,
    worker_id VARCHAR(255) NULL,
    lock_expiration_time DATETIME(3) NULL,
    retries INT NULL,
    error_message TEXT NULL,
    created DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ru_ext_instance (process_instance_id),
    KEY ru_ext_topic (topic_name, lock_expiration_time)
  )`,
  `CREATE TABLE ru_event_subscription (
    id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    type VARCHAR(16) NOT NULL,
    event_name VARCHAR(255) NOT NULL,
    activity_id VARCHAR(255) NOT NULL,
    activity_instance_id VARCHAR(300) NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    created DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ru_sub_instance (process_instance_id),
    KEY ru_sub_event (type, event_name)
  )`,
  `CREATE TABLE ru_job (
    id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    type VARCHAR(32) NOT NULL,
    activity_id VARCHAR(255) NOT NULL,
    activity_instance_id VARCHAR(300) NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    due_date DATETIME(3) NULL,
    repeat_text VARCHAR(255) NULL,
    retries INT NOT NULL,
    exception_message TEXT NULL,
    created DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ru_job_instance (process_instance_id),
    KEY ru_job_due (due_date)
  )`,
  `CREATE TABLE ru_variable (
    id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    name VARCHAR(255) NOT NULL,
    scope_id VARCHAR(300) NOT NULL,
    type VARCHAR(16) NOT NULL,
    text_value LONGTEXT NULL,
    number_value DOUBLE NULL,
    PRIMARY KEY (id),
    UNIQUE KEY ru_var_scope_name (scope_id, name),
    KEY ru_var_instance (process_instance_id),
    KEY ru_var_name (name)
  )`,
  `CREATE TABLE hi_process_instance (
    id VARCHAR(64) NOT NULL,
    business_key VARCHAR(255) NULL,
    definition_id VARCHAR(255) NOT NULL,
    definition_key VARCHAR(255) NOT NULL,
    tenant_id VARCHAR(64) NULL,
    start_time DATETIME(3) NOT NULL,
    end_time DATETIME(3) NULL,
    state VARCHAR(32) NOT NULL,
    delete_reason TEXT NULL,
    PRIMARY KEY (id),
    KEY hi_pi_definition (definition_id),
    KEY hi_pi_business_key (business_key),
    KEY hi_pi_start (start_time)
  )`,
  `CREATE TABLE hi_activity_instance (
    id VARCHAR(300) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    definition_id VARCHAR(255) NOT NULL,
    definition_key VARCHAR(255) NOT NULL,
    parent_activity_instance_id VARCHAR(300) NULL,
    activity_id VARCHAR(255) NOT NULL,
    activity_name VARCHAR(255) NULL,
    activity_type VARCHAR(64) NOT NULL,
    execution_id VARCHAR(64) NOT NULL,
    task_id VARCHAR(64) NULL,
    assignee VARCHAR(255) NULL,
    tenant_id VARCHAR(64) NULL,
    start_time DATETIME(3) NOT NULL,
    end_time DATETIME(3) NULL,
    end_reason VARCHAR(16) NULL,
    sequence_counter BIGINT NOT NULL,
    PRIMARY KEY (id),
    KEY hi_ai_instance (process_instance_id, sequence_counter),
    KEY hi_ai_activity (activity_id)
  )`,
];
