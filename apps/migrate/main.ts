import { createDataSource, ensureDatabase, runMigrations } from '@libs/persistence';
import { runCommand } from '../common/process';

/** The one explicit step that changes the schema: applies pending migrations under a MySQL lock. */
void runCommand('migrate', async (config, logger) => {
  if (await ensureDatabase(config.database.url)) logger.info('database created');
  const dataSource = createDataSource({ ...config.database, poolSize: 2 });
  await dataSource.initialize();
  try {
    const { applied } = await runMigrations(dataSource);
    logger.info(applied.length > 0 ? 'migrations applied' : 'schema is up to date', { applied });
  } finally {
    await dataSource.destroy();
  }
});
