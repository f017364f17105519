import {
  Conditions,
  insertRows,
  orderAndPage,
  placeholders,
  type Page,
  type Sorting,
  type Sql,
} from '../sql';

export interface DeploymentRecord {
  readonly id: string;
  readonly name: string | null;
  readonly source: string | null;
  readonly tenantId: string | null;
  readonly deploymentTime: Date;
}

export interface ResourceRecord {
  readonly id: string;
  readonly deploymentId: string;
  readonly name: string;
  readonly content: string;
  readonly contentHash: string;
}

export interface DeploymentQuery {
  readonly id?: string;
  readonly name?: string;
  readonly nameLike?: string;
  readonly source?: string;
  readonly withoutSource?: boolean;
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
  readonly includeDeploymentsWithoutTenantId?: boolean;
  readonly after?: Date;
  readonly before?: Date;
}

export type DeploymentSortKey = 'id' | 'name' | 'deploymentTime' | 'tenantId';

const SORT_COLUMNS: Record<DeploymentSortKey, string> = {
  id: 'id',
  name: 'name',
  deploymentTime: 'deployment_time',
  tenantId: 'tenant_id',
};

type DeploymentRow = {
  id: string;
  name: string | null;
  source: string | null;
  tenant_id: string | null;
  deployment_time: Date;
};

const toDeployment = (row: DeploymentRow): DeploymentRecord => ({
  id: row.id,
  name: row.name,
  source: row.source,
  tenantId: row.tenant_id,
  deploymentTime: row.deployment_time,
});

/** Deployments and their resources. */
export class DeploymentRepository {
  async insert(sql: Sql, deployment: DeploymentRecord, resources: readonly ResourceRecord[]): Promise<void> {
    await sql.execute(
      'INSERT INTO re_deployment (id, name, source, tenant_id, deployment_time) VALUES (?, ?, ?, ?, ?)',
      [deployment.id, deployment.name, deployment.source, deployment.tenantId, deployment.deploymentTime],
    );
    await insertRows(
      sql,
      're_resource',
      ['id', 'deployment_id', 'name', 'content', 'content_hash'],
      resources.map((r) => [r.id, r.deploymentId, r.name, r.content, r.contentHash]),
    );
  }

  async find(sql: Sql, id: string): Promise<DeploymentRecord | undefined> {
    const rows = await sql.select<DeploymentRow>('SELECT * FROM re_deployment WHERE id = ?', [id]);
    return rows[0] && toDeployment(rows[0]);
  }

  async query(
    sql: Sql,
    query: DeploymentQuery,
    page?: Page,
    sorting: Sorting<DeploymentSortKey>[] = [],
  ): Promise<DeploymentRecord[]> {
    const where = conditions(query);
    const rows = await sql.select<DeploymentRow>(
      `SELECT * FROM re_deployment${where}${orderAndPage(sorting, SORT_COLUMNS, 'id ASC', page)}`,
      where.params,
    );
    return rows.map(toDeployment);
  }

  async count(sql: Sql, query: DeploymentQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM re_deployment${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * For duplicate filtering: per resource name, the content hash in the most recent deployment of
   * `name` (same tenant) that contains a resource of that name.
   */
  async latestResourceHashes(
    sql: Sql,
    name: string,
    tenantId: string | null,
    resourceNames: readonly string[],
  ): Promise<Map<string, { hash: string; deploymentId: string }>> {
    const rows = await sql.select<{ name: string; content_hash: string; deployment_id: string }>(
      `SELECT r.name, r.content_hash, r.deployment_id
         FROM re_resource r JOIN re_deployment d ON d.id = r.deployment_id
        WHERE d.name = ? AND d.tenant_id <=> ? AND r.name IN (${placeholders(resourceNames.length)})
        ORDER BY d.deployment_time DESC, d.id DESC`,
      [name, tenantId, ...resourceNames],
    );
    const latest = new Map<string, { hash: string; deploymentId: string }>();
    for (const row of rows) {
      if (!latest.has(row.name))
        latest.set(row.name, { hash: row.content_hash, deploymentId: row.deployment_id });
    }
    return latest;
  }

  async resourceContent(sql: Sql, resourceId: string): Promise<string | undefined> {
    const rows = await sql.select<{ content: string }>('SELECT content FROM re_resource WHERE id = ?', [
      resourceId,
    ]);
    return rows[0]?.content;
  }

  /** Deletes a deployment with its resources and definitions (foreign keys cascade). */
  async delete(sql: Sql, id: string): Promise<boolean> {
    return (await sql.execute('DELETE FROM re_deployment WHERE id = ?', [id])) > 0;
  }
}

function conditions(query: DeploymentQuery): Conditions {
  const where = new Conditions()
    .when(query.id, 'id = ?')
    .when(query.name, 'name = ?')
    .when(query.nameLike, 'name LIKE ?')
    .when(query.source, 'source = ?')
    .when(query.after, 'deployment_time > ?')
    .when(query.before, 'deployment_time < ?');
  if (query.withoutSource) where.add('source IS NULL');
  return tenantConditions(
    where,
    query.tenantIdIn,
    query.withoutTenantId,
    query.includeDeploymentsWithoutTenantId,
  );
}

/** Camunda's tenant filters: `tenantIdIn`, `withoutTenantId`, and "include those without tenant" with `tenantIdIn`. */
export function tenantConditions(
  where: Conditions,
  tenantIdIn: readonly string[] | undefined,
  withoutTenantId: boolean | undefined,
  includeWithoutTenant: boolean | undefined,
  column = 'tenant_id',
): Conditions {
  if (tenantIdIn !== undefined) {
    const anyOf = tenantIdIn.length === 0 ? '1 = 0' : `${column} IN (${placeholders(tenantIdIn.length)})`;
    where.add(includeWithoutTenant ? `(${anyOf} OR ${column} IS NULL)` : anyOf, ...tenantIdIn);
  }
  if (withoutTenantId) where.add(`${column} IS NULL`);
  return where;
}
