import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deployments, their resources (the BPMN XML) and the process definitions deployed from them. */
export class Repository1795351792000 implements MigrationInterface {
  name = 'Repository1795351792000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE re_deployment (
        id VARCHAR(64) NOT NULL,
        name VARCHAR(255) NULL,
        source VARCHAR(255) NULL,
        tenant_id VARCHAR(64) NULL,
        deployment_time DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY re_deployment_name (name),
        KEY re_deployment_time (deployment_time)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE re_resource (
        id VARCHAR(64) NOT NULL,
        deployment_id VARCHAR(64) NOT NULL,
        name VARCHAR(255) NOT NULL,
        content LONGTEXT NOT NULL,
        content_hash CHAR(64) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY re_resource_deployment_name (deployment_id, name),
        CONSTRAINT re_resource_deployment FOREIGN KEY (deployment_id) REFERENCES re_deployment (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE re_process_definition (
        id VARCHAR(255) NOT NULL,
        def_key VARCHAR(255) NOT NULL,
        version INT NOT NULL,
        name VARCHAR(255) NULL,
        category VARCHAR(255) NULL,
        deployment_id VARCHAR(64) NOT NULL,
        resource_id VARCHAR(64) NOT NULL,
        resource_name VARCHAR(255) NOT NULL,
        tenant_id VARCHAR(64) NULL,
        tenant_key VARCHAR(64) AS (IFNULL(tenant_id, '')) STORED,
        version_tag VARCHAR(255) NULL,
        history_ttl INT NULL,
        suspended TINYINT(1) NOT NULL DEFAULT 0,
        PRIMARY KEY (id),
        UNIQUE KEY re_definition_version (def_key, tenant_key, version),
        KEY re_definition_deployment (deployment_id),
        CONSTRAINT re_definition_deployment FOREIGN KEY (deployment_id) REFERENCES re_deployment (id) ON DELETE CASCADE,
        CONSTRAINT re_definition_resource FOREIGN KEY (resource_id) REFERENCES re_resource (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE re_process_definition');
    await queryRunner.query('DROP TABLE re_resource');
    await queryRunner.query('DROP TABLE re_deployment');
  }
}
