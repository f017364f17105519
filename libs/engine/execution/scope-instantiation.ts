/**
 * Finding (and if needed creating) the scope instance a token must be started in, with Camunda's
 * modification rules (reference §11.2):
 * - with an ancestor activity instance: it must exist and be an instance of one of the element's
 *   enclosing scopes; every scope between it and the element is freshly instantiated;
 * - without: the innermost enclosing scope that has an instance is used (more than one instance is
 *   ambiguous), and the scopes below it are instantiated.
 * Instantiated sub-processes run their input mappings (unless skipped) and get their boundary-event
 * triggers, but do not start at their start event.
 */
import { createActivityInstance } from './activity-lifecycle';
import { createBoundaryTriggers } from './boundary-events';
import type { EngineRun } from './engine-run';
import { createEventSubProcessTriggers } from './event-sub-processes';
import { runInputMappings } from './io-mappings';
import { NotValidException, ProcessEngineException } from '../errors';
import type { ActivityInstance } from '../state/instance-state';
import { applyVariables } from '../state/variables';
import { addInnerInstance, bodyInstance } from './multi-instance';

/**
 * The id of a scope instance of the model scope `scopeId` under which `elementId` (the element or
 * flow to start) can run, creating missing sub-process instances on the way (running their input
 * mappings unless `skipIoMappings`).
 * @throws NotValidException for an unknown or unrelated ancestor; ProcessEngineException when the
 * ancestor is ambiguous.
 */
export function scopeInstanceFor(
  run: EngineRun,
  scopeId: string,
  elementId: string,
  ancestorActivityInstanceId?: string,
  skipIoMappings = false,
): string {
  const chain = enclosingScopes(run, scopeId);
  if (ancestorActivityInstanceId !== undefined) {
    const ancestor = run.draft.instance(ancestorActivityInstanceId);
    if (ancestor === undefined) {
      throw new NotValidException(
        `Ancestor activity instance '${ancestorActivityInstanceId}' does not exist: ancestorInstance is null`,
      );
    }
    const index = chain.findIndex((scope) => activityIdOfScope(run, scope) === ancestor.activityId);
    if (index < 0) {
      throw new NotValidException(
        `Scope execution for '${ancestorActivityInstanceId}' cannot be found in parent hierarchy of flow element '${elementId}'`,
      );
    }
    return instantiateBelow(run, ancestor, chain.slice(0, index), skipIoMappings).id;
  }
  for (const [index, scope] of chain.entries()) {
    const instances = instancesOfScope(run, scope);
    if (instances.length > 1) {
      throw new ProcessEngineException(
        `Ancestor activity execution is ambiguous for activity Activity(${scope})`,
      );
    }
    const [only] = instances;
    if (only !== undefined) return instantiateBelow(run, only, chain.slice(0, index), skipIoMappings).id;
  }
  throw new ProcessEngineException(`Process instance '${run.draft.header.id}' has no active scope`);
}

/** The model scopes enclosing (and including) `scopeId`, innermost first, ending with the process id. */
export function enclosingScopes(run: EngineRun, scopeId: string): string[] {
  const chain: string[] = [];
  for (let scope = scopeId; ; scope = run.node(scope).scopeId) {
    chain.push(scope);
    if (run.isProcessScope(scope)) return chain;
  }
}

/** Creates instances of `scopesInnermostFirst` (sub-process ids) top-down under `parent`. */
function instantiateBelow(
  run: EngineRun,
  parent: ActivityInstance,
  scopesInnermostFirst: readonly string[],
  skipIoMappings: boolean,
): ActivityInstance {
  let current = parent;
  for (let index = scopesInnermostFirst.length - 1; index >= 0; index--) {
    const parent = bodyInstance(run, current.id);
    current = createActivityInstance(run, current.id, run.node(scopesInnermostFirst[index] as string));
    // An inner instance a modification creates in a multi-instance body is counted by the body.
    if (parent !== undefined)
      applyVariables(run, current.id, addInnerInstance(run, parent.body, parent.node), true);
    if (!skipIoMappings) runInputMappings(run, current);
    createBoundaryTriggers(run, current);
    createEventSubProcessTriggers(run, current);
    run.noteScopeEntry(current.id);
  }
  return current;
}

function instancesOfScope(run: EngineRun, scopeId: string): ActivityInstance[] {
  if (run.isProcessScope(scopeId)) {
    const root = run.draft.root;
    return root === undefined ? [] : [root];
  }
  return [...run.draft.activityInstances.values()].filter((instance) => instance.activityId === scopeId);
}

/** The activity id instances of a model scope carry: the definition id for the process itself. */
function activityIdOfScope(run: EngineRun, scopeId: string): string {
  return run.isProcessScope(scopeId) ? run.draft.header.definitionId : scopeId;
}
