import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Running instances per process definition, kept by every save of instance rows, so that a batch over
 * all instances of a definition (the common migration) is counted in constant time at creation.
 * Spread over slots so that concurrent transactions rarely wait on the same counter row.
 */
export class DefinitionInstanceCounts1795380000000 implements MigrationInterface {
  name = 'DefinitionInstanceCounts1795380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ru_definition_instances (
        definition_id VARCHAR(255) NOT NULL,
        slot SMALLINT NOT NULL,
        instances BIGINT NOT NULL,
        PRIMARY KEY (definition_id, slot)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`INSERT INTO ru_definition_instances (definition_id, slot, instances)
      SELECT definition_id, 0, COUNT(*) FROM ru_process_instance GROUP BY definition_id`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ru_definition_instances');
  }
}
