import type { EngineEffect, ProcessInstanceState, TypedValue } from '@libs/engine';
import { storedValue } from '../instance-tables';

/** The effects of one operation on one instance (see `HistoryEntry`). */
export interface VariableHistoryEntry {
  readonly state: ProcessInstanceState;
  readonly effects: readonly EngineEffect[];
}

/** What every detail written now needs besides the effect: ids and an order. */
export interface DetailContext {
  readonly newId: () => string;
  /** Orders details written in the same millisecond (Camunda's `occurrence`). */
  readonly nextSequence: (time: Date) => number;
}

/** An update of some columns of one `hi_variable_instance` row. */
export interface VariableRowUpdate {
  readonly id: string;
  readonly values: Record<string, unknown>;
}

/**
 * What variable history a set of operations writes: new `hi_variable_instance` rows, updates of rows
 * written by earlier operations (new values; deletions), and one `hi_detail` row per change.
 */
export interface VariableHistoryRows {
  /** In the order of {@link VARIABLE_INSTANCE_COLUMNS}. */
  readonly instances: unknown[][];
  /** Each list changes the same columns of every row it names. */
  readonly instanceUpdates: ReadonlyArray<readonly VariableRowUpdate[]>;
  /** In the order of {@link DETAIL_COLUMNS}. */
  readonly details: unknown[][];
}

export const VARIABLE_INSTANCE_COLUMNS = [
  'id',
  'name',
  'type',
  'text_value',
  'number_value',
  'state',
  'create_time',
  'revision',
  'process_instance_id',
  'root_process_instance_id',
  'tenant_id',
  'activity_instance_id',
  'execution_id',
] as const;

export const DETAIL_COLUMNS = [
  'id',
  'variable_instance_id',
  'name',
  'type',
  'text_value',
  'number_value',
  'time',
  'sequence_counter',
  'revision',
  'is_initial',
  'process_instance_id',
  'process_definition_id',
  'process_definition_key',
  'root_process_instance_id',
  'tenant_id',
  'activity_instance_id',
  'execution_id',
] as const;

type VariableEffect = Extract<
  EngineEffect,
  { type: 'variableCreated' | 'variableUpdated' | 'variableDeleted' }
>;

const isVariableEffect = (effect: EngineEffect): effect is VariableEffect =>
  effect.type === 'variableCreated' || effect.type === 'variableUpdated' || effect.type === 'variableDeleted';

/** True when some entry changes a variable: only then does variable history write anything. */
export function changesVariables(entries: readonly VariableHistoryEntry[]): boolean {
  return entries.some((entry) => entry.effects.some(isVariableEffect));
}

/**
 * The variables these entries update or delete that earlier operations created: their stored revision
 * is needed (one read) to number the details.
 */
export function earlierVariableIds(entries: readonly VariableHistoryEntry[]): string[] {
  const created = new Set<string>();
  const earlier = new Set<string>();
  for (const { effects } of entries) {
    for (const effect of effects) {
      if (effect.type === 'variableCreated') created.add(effect.variableId);
      else if (isVariableEffect(effect) && !created.has(effect.variableId)) earlier.add(effect.variableId);
    }
  }
  return [...earlier];
}

/** What the row of a variable created by an earlier operation holds that its details need. */
export interface StoredVariable {
  readonly revision: number;
  readonly type: string;
}

/** A variable instance row being built, or what changes on an earlier one. */
interface Tracked {
  /** The runtime variable's revision as Camunda counts it: 0 until its creation is flushed, +1 per flush. */
  revision: number;
  readonly row?: unknown[];
  /** The type of its latest value. */
  type: string;
  /** Its latest value, when the operations changed it. */
  value?: TypedValue;
  deleted: boolean;
}

/**
 * Camunda's variable history rules as a pure function (`DbHistoryEventHandler`, history level FULL):
 * - a created variable gets its `hi_variable_instance` row (state CREATED) and a detail of revision 0;
 *   `initial` when it was created as its instance started (before the instance's first activity
 *   ended, the "starting" phase of Camunda's process instance);
 * - an update sets the row's value and writes a detail with the variable's revision (its count of
 *   earlier operations that wrote it, as Camunda's `REV_` is bumped once per flushed command);
 * - a deletion sets the row's state to DELETED and writes a detail without value (Camunda clears the
 *   value fields before its delete event), typed as the variable was.
 * Variables removed with their ended scope or instance get no deletion, as in Camunda.
 *
 * `stored` holds the rows of {@link earlierVariableIds} (absent: revision 0 and type Null, which only a
 * variable without history row can be).
 */
export function variableHistoryRows(
  entries: readonly VariableHistoryEntry[],
  stored: ReadonlyMap<string, StoredVariable>,
  context: DetailContext,
): VariableHistoryRows {
  const variables = new Map<string, Tracked>();
  const details: unknown[][] = [];

  for (const { state, effects } of entries) {
    if (!effects.some(isVariableEffect)) continue;
    const executions = executionIds(state, effects);
    const root = state.callLinks?.rootProcessInstanceId ?? state.id;
    const touched = new Set<string>();
    const createdHere = new Set<string>();
    let starting = false;
    for (const effect of effects) {
      if (effect.type === 'processStarted') starting = true;
      else if (effect.type === 'activityEnded') starting = false;
      if (!isVariableEffect(effect)) continue;
      const executionId = executions.get(effect.scopeId) ?? effect.scopeId;
      let tracked = variables.get(effect.variableId);
      if (effect.type === 'variableCreated') {
        const row = [
          effect.variableId,
          effect.name,
          effect.value.type,
          ...storedValue(effect.value),
          'CREATED',
          effect.time,
          0,
          state.id,
          root,
          state.tenantId,
          effect.scopeId,
          executionId,
        ];
        tracked = { revision: 0, row, type: effect.value.type, deleted: false };
        variables.set(effect.variableId, tracked);
        createdHere.add(effect.variableId);
      } else if (tracked === undefined) {
        const earlier = stored.get(effect.variableId);
        tracked = { revision: earlier?.revision ?? 0, type: earlier?.type ?? 'Null', deleted: false };
        variables.set(effect.variableId, tracked);
      }
      touched.add(effect.variableId);
      const value = effect.type === 'variableDeleted' ? undefined : effect.value;
      if (effect.type === 'variableUpdated') {
        tracked.value = effect.value;
        tracked.type = effect.value.type;
      } else if (effect.type === 'variableDeleted') tracked.deleted = true;
      details.push([
        context.newId(),
        effect.variableId,
        effect.name,
        tracked.type,
        ...(value === undefined ? [null, null] : storedValue(value)),
        effect.time,
        context.nextSequence(effect.time),
        tracked.revision,
        starting && effect.type === 'variableCreated' ? 1 : 0,
        state.id,
        state.definitionId,
        state.definitionKey,
        root,
        state.tenantId,
        effect.scopeId,
        executionId,
      ]);
    }
    // The operation's changes are flushed: a created variable is stored at revision 1, an updated one
    // gains one.
    for (const id of touched) {
      const tracked = variables.get(id)!;
      tracked.revision = createdHere.has(id) ? 1 : tracked.revision + 1;
    }
  }
  return finish(variables, details);
}

function finish(variables: ReadonlyMap<string, Tracked>, details: unknown[][]): VariableHistoryRows {
  const instances: unknown[][] = [];
  const valueUpdates: VariableRowUpdate[] = [];
  const deletions: VariableRowUpdate[] = [];
  for (const [id, tracked] of variables) {
    if (tracked.row !== undefined) {
      const row = [...tracked.row];
      if (tracked.value !== undefined) {
        row.splice(2, 3, tracked.value.type, ...storedValue(tracked.value));
      }
      if (tracked.deleted) row[5] = 'DELETED';
      row[7] = tracked.revision;
      instances.push(row);
      continue;
    }
    if (tracked.value !== undefined) {
      const [text, number] = storedValue(tracked.value);
      valueUpdates.push({
        id,
        values: {
          type: tracked.value.type,
          text_value: text,
          number_value: number,
          revision: tracked.revision,
        },
      });
    }
    if (tracked.deleted) deletions.push({ id, values: { state: 'DELETED', revision: tracked.revision } });
  }
  return { instances, instanceUpdates: [valueUpdates, deletions], details };
}

/**
 * Activity instance id → execution id, for the scopes variables live on: the instance's live activity
 * instances and those the operation started (a scope may have ended within it).
 */
function executionIds(state: ProcessInstanceState, effects: readonly EngineEffect[]): Map<string, string> {
  const executions = new Map<string, string>([[state.id, state.id]]);
  for (const effect of effects) {
    if (effect.type === 'activityStarted') executions.set(effect.activityInstanceId, effect.executionId);
  }
  for (const instance of state.activityInstances) executions.set(instance.id, instance.executionId);
  return executions;
}
