import { COLUMN_LIMITS, COLUMNS_BY_LIMIT, type ColumnLimit } from '@libs/persistence';
import { useMigratedDatabase } from '../support/migrated-database';

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
  const migrated = useMigratedDatabase();

  it('are the sizes the migrations give the columns that store request values', async () => {
    const rows = (await migrated().query(
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
