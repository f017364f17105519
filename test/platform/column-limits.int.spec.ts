import type { DataSource } from 'typeorm';
import {
  COLUMN_LIMITS,
  COLUMNS_BY_LIMIT,
  createDataSource,
  runMigrations,
  type ColumnLimit,
} from '@libs/persistence';
import { createTestDatabase, type TestDatabase } from '../support/services';

interface ColumnRow {
  readonly name: string;
  readonly type: string;
  readonly characters: number | null;
  readonly bytes: number | null;
}

/** What the information schema reports for a column that a limit bounds. */
function expectedColumn(limit: ColumnLimit): Partial<ColumnRow> {
  switch (limit) {
    case 'textBytes':
      return { type: 'text', bytes: COLUMN_LIMITS.textBytes };
    case 'int':
      return { type: 'int' };
    default:
      return { type: 'varchar', characters: COLUMN_LIMITS[limit] };
  }
}

describe('column limits', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url, poolSize: 3 });
    await dataSource.initialize();
    await runMigrations(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('are the sizes the migrations give the columns that store request values', async () => {
    const rows = (await dataSource.query(
      `SELECT CONCAT(table_name, '.', column_name) AS name, data_type AS type,
              character_maximum_length AS characters, character_octet_length AS bytes
         FROM information_schema.columns WHERE table_schema = DATABASE()`,
    )) as ColumnRow[];
    const columns = new Map(rows.map((row) => [row.name, row]));
    for (const [limit, names] of Object.entries(COLUMNS_BY_LIMIT) as Array<[ColumnLimit, string[]]>) {
      for (const name of names) {
        const column = columns.get(name);
        const actual = column && {
          type: column.type,
          characters: Number(column.characters),
          bytes: Number(column.bytes),
        };
        expect({ name, ...actual }).toMatchObject({ name, ...expectedColumn(limit) });
      }
    }
  });
});
