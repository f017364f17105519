import {
  Conditions,
  insertRows,
  orderAndPage,
  placeholders,
  type Page,
  type Sorting,
  type Sql,
} from '../sql';
import { tenantConditions } from './deployment.repository';

export interface ProcessDefinitionRecord {
  readonly id: string;
  readonly key: string;
  readonly version: number;
  readonly name: string | null;
  readonly category: string | null;
  readonly deploymentId: string;
  readonly resourceId: string;
  readonly resourceName: string;
  readonly tenantId: string | null;
  readonly versionTag: string | null;
  readonly historyTimeToLive: number | null;
  /** `camunda:isStartableInTasklist` (default true). */
  readonly startableInTasklist: boolean;
  readonly suspended: boolean;
}

export interface ProcessDefinitionQuery {
  readonly id?: string;
  readonly idIn?: readonly string[];
  readonly key?: string;
  readonly keyIn?: readonly string[];
  readonly keyLike?: string;
  readonly name?: string;
  readonly nameLike?: string;
  readonly deploymentId?: string;
  readonly version?: number;
  readonly latestVersion?: boolean;
  readonly resourceName?: string;
  readonly versionTag?: string;
  /** `true`: only definitions startable in a task list; `false`: only those that are not. */
  readonly startableInTasklist?: boolean;
  readonly suspended?: boolean;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly includeProcessDefinitionsWithoutTenantId?: boolean;
}

export type ProcessDefinitionSortKey =
  'id' | 'key' | 'name' | 'version' | 'deploymentId' | 'tenantId' | 'versionTag' | 'category';

const SORT_COLUMNS: Record<ProcessDefinitionSortKey, string> = {
  id: 'd.id',
  key: 'd.def_key',
  name: 'd.name',
  version: 'd.version',
  deploymentId: 'd.deployment_id',
  tenantId: 'd.tenant_id',
  versionTag: 'd.version_tag',
  category: 'd.category',
};

type DefinitionRow = {
  id: string;
  def_key: string;
  version: number;
  name: string | null;
  category: string | null;
  deployment_id: string;
  resource_id: string;
  resource_name: string;
  tenant_id: string | null;
  version_tag: string | null;
  history_ttl: number | null;
  startable_in_tasklist: number;
  suspended: number;
};

const COLUMNS =
  'd.id, d.def_key, d.version, d.name, d.category, d.deployment_id, d.resource_id, d.resource_name, d.tenant_id, d.version_tag, d.history_ttl, d.startable_in_tasklist, d.suspended';

const toDefinition = (row: DefinitionRow): ProcessDefinitionRecord => ({
  id: row.id,
  key: row.def_key,
  version: Number(row.version),
  name: row.name,
  category: row.category,
  deploymentId: row.deployment_id,
  resourceId: row.resource_id,
  resourceName: row.resource_name,
  tenantId: row.tenant_id,
  versionTag: row.version_tag,
  historyTimeToLive: row.history_ttl === null ? null : Number(row.history_ttl),
  startableInTasklist: Boolean(row.startable_in_tasklist),
  suspended: Boolean(row.suspended),
});

/** Process definitions: versioned per key and tenant. */
export class ProcessDefinitionRepository {
  async insert(sql: Sql, definitions: readonly ProcessDefinitionRecord[]): Promise<void> {
    await insertRows(
      sql,
      're_process_definition',
      [
        'id',
        'def_key',
        'version',
        'name',
        'category',
        'deployment_id',
        'resource_id',
        'resource_name',
        'tenant_id',
        'version_tag',
        'history_ttl',
        'startable_in_tasklist',
        'suspended',
      ],
      definitions.map((d) => [
        d.id,
        d.key,
        d.version,
        d.name,
        d.category,
        d.deploymentId,
        d.resourceId,
        d.resourceName,
        d.tenantId,
        d.versionTag,
        d.historyTimeToLive,
        d.startableInTasklist ? 1 : 0,
        d.suspended ? 1 : 0,
      ]),
    );
  }

  /**
   * The highest version per key for a tenant, locking those index ranges until the transaction ends,
   * so two concurrent deployments of one key cannot pick the same version.
   */
  async lockLatestVersions(
    sql: Sql,
    keys: readonly string[],
    tenantId: string | null,
  ): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const rows = await sql.select<{ def_key: string; version: number }>(
      `SELECT def_key, MAX(version) AS version FROM re_process_definition
        WHERE def_key IN (${placeholders(keys.length)}) AND tenant_key = ? GROUP BY def_key FOR UPDATE`,
      [...keys, tenantId ?? ''],
    );
    return new Map(rows.map((row) => [row.def_key, Number(row.version)]));
  }

  async find(sql: Sql, id: string): Promise<ProcessDefinitionRecord | undefined> {
    const rows = await sql.select<DefinitionRow>(
      `SELECT ${COLUMNS} FROM re_process_definition d WHERE d.id = ?`,
      [id],
    );
    return rows[0] && toDefinition(rows[0]);
  }

  /** The latest version of `key` for `tenantId` (`null`: definitions without tenant). */
  async findLatest(
    sql: Sql,
    key: string,
    tenantId: string | null,
  ): Promise<ProcessDefinitionRecord | undefined> {
    const rows = await sql.select<DefinitionRow>(
      `SELECT ${COLUMNS} FROM re_process_definition d WHERE d.def_key = ? AND d.tenant_key = ? ORDER BY d.version DESC LIMIT 1`,
      [key, tenantId ?? ''],
    );
    return rows[0] && toDefinition(rows[0]);
  }

  async query(
    sql: Sql,
    query: ProcessDefinitionQuery,
    page?: Page,
    sorting: Sorting<ProcessDefinitionSortKey>[] = [],
  ): Promise<ProcessDefinitionRecord[]> {
    const where = conditions(query);
    const rows = await sql.select<DefinitionRow>(
      `SELECT ${COLUMNS} FROM re_process_definition d${where}${orderAndPage(sorting, SORT_COLUMNS, 'd.id ASC', page)}`,
      where.params,
    );
    return rows.map(toDefinition);
  }

  async count(sql: Sql, query: ProcessDefinitionQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM re_process_definition d${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }

  async byDeployment(sql: Sql, deploymentId: string): Promise<ProcessDefinitionRecord[]> {
    return this.query(sql, { deploymentId });
  }

  /**
   * Deletes definitions (their job definitions and start events follow by foreign key) and their
   * instance counts; the deployment and its resources stay, as in Camunda.
   */
  async delete(sql: Sql, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const list = placeholders(ids.length);
    await sql.execute(`DELETE FROM ru_definition_instances WHERE definition_id IN (${list})`, [...ids]);
    await sql.execute(`DELETE FROM re_process_definition WHERE id IN (${list})`, [...ids]);
  }
}

function conditions(query: ProcessDefinitionQuery): Conditions {
  const where = new Conditions()
    .when(query.id, 'd.id = ?')
    .whenIn(query.idIn, 'd.id')
    .when(query.key, 'd.def_key = ?')
    .whenIn(query.keyIn, 'd.def_key')
    .when(query.keyLike, 'd.def_key LIKE ?')
    .when(query.name, 'd.name = ?')
    .when(query.nameLike, 'd.name LIKE ?')
    .when(query.deploymentId, 'd.deployment_id = ?')
    .when(query.version, 'd.version = ?')
    .when(query.resourceName, 'd.resource_name = ?')
    .when(query.versionTag, 'd.version_tag = ?')
    .when(query.startableInTasklist, 'd.startable_in_tasklist = ?', (startable) => (startable ? 1 : 0))
    .when(query.suspended, 'd.suspended = ?', (suspended) => (suspended ? 1 : 0));
  if (query.latestVersion) {
    where.add(
      'd.version = (SELECT MAX(l.version) FROM re_process_definition l WHERE l.def_key = d.def_key AND l.tenant_key = d.tenant_key)',
    );
  }
  return tenantConditions(
    where,
    query.tenantIdIn,
    query.withoutTenantId,
    query.includeProcessDefinitionsWithoutTenantId,
    'd.tenant_id',
  );
}
