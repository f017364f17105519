/**
 * Variable scoping with Camunda's rules. Variables live on activity instances (the root holds the
 * process variables). Reading walks from an instance up to the root, nearest first. A non-local write
 * goes to the nearest instance on that path that already has the variable, else to the root; a local
 * write goes to the given instance.
 */
import type { EngineRun } from '../execution/engine-run';
import type { InstanceDraft } from './instance-draft';
import type { ActivityInstance, ProcessInstanceState, VariableRecord } from './instance-state';
import { plainValueOf, sameTypedValue, type TypedValue, type VariableMap } from './typed-value';

/** The variable `name` stored on exactly `scopeId`, if any. */
export function localVariable(
  draft: InstanceDraft,
  scopeId: string,
  name: string,
): VariableRecord | undefined {
  return draft.variables.ownedBy(scopeId).find((variable) => variable.name === name);
}

/** The variable `name` visible from `fromInstanceId` (nearest scope first), if any. */
export function visibleVariable(
  draft: InstanceDraft,
  fromInstanceId: string,
  name: string,
): VariableRecord | undefined {
  for (const scope of draft.ancestry(fromInstanceId)) {
    const variable = localVariable(draft, scope.id, name);
    if (variable !== undefined) return variable;
  }
  return undefined;
}

/** A resolver for expressions: the plain value of a visible variable, `undefined` when there is none. */
export function variableResolver(draft: InstanceDraft, fromInstanceId: string): (name: string) => unknown {
  return (name) => {
    const variable = visibleVariable(draft, fromInstanceId, name);
    return variable === undefined ? undefined : plainValueOf(variable.value);
  };
}

/**
 * Sets variables from `fromInstanceId`: locally on it when `local`, otherwise with propagation (nearest
 * instance that has the variable, else the root). Emits `variableCreated`/`variableUpdated`.
 */
export function applyVariables(
  run: EngineRun,
  fromInstanceId: string,
  variables: VariableMap,
  local: boolean,
): void {
  for (const [name, value] of Object.entries(variables)) {
    const target = local ? fromInstanceId : propagationTarget(run.draft, fromInstanceId, name);
    setLocalVariable(run, target, name, value);
  }
}

/** Sets one variable on exactly `scopeId`, replacing an existing one (which keeps its id). */
export function setLocalVariable(run: EngineRun, scopeId: string, name: string, value: TypedValue): void {
  const existing = localVariable(run.draft, scopeId, name);
  // Setting a variable to its value is still an update for conditional events, as in Camunda.
  run.noteVariableEvent({ scopeId, name, event: existing === undefined ? 'create' : 'update' });
  if (existing !== undefined && sameTypedValue(existing.value, value)) return;
  const record: VariableRecord = { id: existing?.id ?? run.newId(), name, scopeId, value };
  run.draft.variables.add(record);
  run.emit({
    type: existing === undefined ? 'variableCreated' : 'variableUpdated',
    variableId: record.id,
    name,
    scopeId,
    value,
    time: run.now,
  });
}

/**
 * Removes variables: from exactly `fromInstanceId` when `local`, otherwise the nearest visible one.
 * Names that are not set are ignored, as Camunda does.
 */
export function dropVariables(
  run: EngineRun,
  fromInstanceId: string,
  names: readonly string[],
  local: boolean,
): void {
  for (const name of names) {
    const variable = local
      ? localVariable(run.draft, fromInstanceId, name)
      : visibleVariable(run.draft, fromInstanceId, name);
    if (variable === undefined) continue;
    run.draft.variables.remove(variable.id);
    run.noteVariableEvent({ scopeId: variable.scopeId, name, event: 'delete' });
    run.emit({
      type: 'variableDeleted',
      variableId: variable.id,
      name,
      scopeId: variable.scopeId,
      time: run.now,
    });
  }
}

/**
 * The variables visible from `scopeId` in a state, nearest scope winning, as a name → value map
 * (what `GET /process-instance/{id}/variables` shows for the root). Empty for an unknown scope.
 */
export function visibleVariables(state: ProcessInstanceState, scopeId: string): Record<string, TypedValue> {
  const parents = new Map<string, string | null>();
  for (const instance of state.activityInstances) parents.set(instance.id, instance.parentId);
  const depth = new Map<string, number>();
  for (let id: string | null | undefined = scopeId, level = 0; id !== null && id !== undefined; level++) {
    depth.set(id, level);
    id = parents.get(id);
  }
  const visible: Record<string, TypedValue> = {};
  const foundAt = new Map<string, number>();
  for (const variable of state.variables) {
    const level = depth.get(variable.scopeId);
    if (level === undefined || level >= (foundAt.get(variable.name) ?? Infinity)) continue;
    foundAt.set(variable.name, level);
    visible[variable.name] = variable.value;
  }
  return visible;
}

function propagationTarget(draft: InstanceDraft, fromInstanceId: string, name: string): string {
  const chain: ActivityInstance[] = draft.ancestry(fromInstanceId);
  for (const scope of chain) if (localVariable(draft, scope.id, name) !== undefined) return scope.id;
  return chain[chain.length - 1]?.id ?? fromInstanceId;
}
