import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Engine-wide properties (like Camunda's ACT_GE_PROPERTY): the schema version and the installation
 * id, which lets operators tell two databases apart.
 */
export class Initial1795350007000 implements MigrationInterface {
  name = 'Initial1795350007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ge_property (
        name VARCHAR(64) NOT NULL,
        value VARCHAR(300) NOT NULL,
        rev INT NOT NULL DEFAULT 1,
        PRIMARY KEY (name)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(
      `INSERT INTO ge_property (name, value) VALUES ('schema.version', '1'), ('installation.id', UUID())`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ge_property');
  }
}
