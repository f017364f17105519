import { randomUUID } from 'node:crypto';
import { insertRows, type Sql } from '../sql';

/** A message, signal, timer or conditional start event of a deployed definition (`re_start_event`). */
export interface StartEventRow {
  readonly definitionId: string;
  readonly activityId: string;
  readonly type: 'message' | 'signal' | 'timer' | 'conditional';
  /** The message or signal name (may be an expression for signals); `null` for a timer or condition. */
  readonly eventName: string | null;
}

/** A start event a message or signal reaches: one of the latest version of its key and tenant. */
export interface StartEventTarget {
  readonly definitionId: string;
  readonly activityId: string;
  readonly tenantId: string | null;
}

/**
 * Which tenants' definitions an event reaches: `undefined` every tenant, `null` only definitions
 * without tenant, a text that tenant; `alsoWithoutTenant` adds those without tenant to a given tenant
 * (a signal thrown in a tenant's instance, as Camunda does).
 */
export interface TenantScope {
  readonly tenantId?: string | null;
  readonly alsoWithoutTenant?: boolean;
}

/**
 * The triggered start events of deployed definitions. Every version's rows are kept (they go with their
 * definition), but only the latest version of each key and tenant is ever reached, as only Camunda's
 * latest version holds start subscriptions: deploying a new version retires the old one's at once, and
 * deleting the latest brings the previous one's back.
 */
export class StartEventRepository {
  async insert(sql: Sql, rows: readonly StartEventRow[], created: Date): Promise<void> {
    await insertRows(
      sql,
      're_start_event',
      ['id', 'definition_id', 'activity_id', 'type', 'event_name', 'created'],
      rows.map((row) => [randomUUID(), row.definitionId, row.activityId, row.type, row.eventName, created]),
    );
  }

  /**
   * The start events of type `type` named `eventName` (compared exactly) of the latest, active version
   * of each key within `scope`, ordered by definition id.
   */
  async latest(
    sql: Sql,
    type: 'message' | 'signal',
    eventName: string,
    scope: TenantScope,
  ): Promise<StartEventTarget[]> {
    const rows = await this.latestOfType(sql, type, eventName, scope);
    return rows.filter((row) => !row.suspended);
  }

  /**
   * The conditional start events of the latest version of each key within `scope` (suspended
   * definitions included, flagged: Camunda's conditional start subscriptions stay while suspended).
   */
  async latestConditional(
    sql: Sql,
    scope: TenantScope,
  ): Promise<(StartEventTarget & { suspended: boolean })[]> {
    return this.latestOfType(sql, 'conditional', null, scope);
  }

  private async latestOfType(
    sql: Sql,
    type: StartEventRow['type'],
    eventName: string | null,
    scope: TenantScope,
  ): Promise<(StartEventTarget & { suspended: boolean })[]> {
    const params: unknown[] = [type];
    let named = '';
    if (eventName !== null) {
      named = ' AND s.event_name = ? AND s.event_name = ? COLLATE utf8mb4_bin';
      params.push(eventName, eventName);
    }
    let tenant = '';
    if (scope.tenantId === null) tenant = ' AND d.tenant_id IS NULL';
    else if (scope.tenantId !== undefined) {
      tenant = scope.alsoWithoutTenant
        ? ' AND (d.tenant_id = ? OR d.tenant_id IS NULL)'
        : ' AND d.tenant_id = ?';
      params.push(scope.tenantId);
    }
    const rows = await sql.select<{
      definition_id: string;
      activity_id: string;
      tenant_id: string | null;
      suspended: number;
    }>(
      `SELECT s.definition_id, s.activity_id, d.tenant_id, d.suspended
         FROM re_start_event s JOIN re_process_definition d ON d.id = s.definition_id
        WHERE s.type = ?${named}${tenant}
          AND d.version = (SELECT MAX(l.version) FROM re_process_definition l
                            WHERE l.def_key = d.def_key AND l.tenant_key = d.tenant_key)
        ORDER BY s.definition_id, s.activity_id`,
      params,
    );
    return rows.map((row) => ({
      definitionId: row.definition_id,
      activityId: row.activity_id,
      tenantId: row.tenant_id,
      suspended: Boolean(row.suspended),
    }));
  }
}
