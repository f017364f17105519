/**
 * Static reachability over a model's sequence flows, for inclusive joins: which elements can still
 * send a token to a gateway. Computed once per (model, gateway) and cached in a WeakMap keyed by the
 * model, so batches over many instances of one definition pay for it once.
 */
import type { ProcessModel } from '@libs/bpmn';

const cache = new WeakMap<ProcessModel, Map<string, ReadonlySet<string>>>();

/**
 * The ids of every element from which `targetId` can be reached along sequence flows without passing
 * through `targetId` itself. Flows never cross scope boundaries, so these are all in the target's scope.
 * (Like Camunda, boundary events count only as sources of their own flows, not as exits of their host.)
 */
export function elementsReaching(model: ProcessModel, targetId: string): ReadonlySet<string> {
  let byTarget = cache.get(model);
  if (byTarget === undefined) {
    byTarget = new Map();
    cache.set(model, byTarget);
  }
  let reaching = byTarget.get(targetId);
  if (reaching === undefined) {
    reaching = predecessors(model, targetId);
    byTarget.set(targetId, reaching);
  }
  return reaching;
}

/** Whether the model has any inclusive gateway with more than one incoming flow (cached). */
export function hasInclusiveJoins(model: ProcessModel): boolean {
  let known = inclusiveJoins.get(model);
  if (known === undefined) {
    known = [...model.nodes.values()].some(
      (node) => node.kind === 'inclusiveGateway' && node.incoming.length > 1,
    );
    inclusiveJoins.set(model, known);
  }
  return known;
}

const inclusiveJoins = new WeakMap<ProcessModel, boolean>();

function predecessors(model: ProcessModel, targetId: string): ReadonlySet<string> {
  const found = new Set<string>();
  const queue = [targetId];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const flowId of model.nodes.get(next)?.incoming ?? []) {
      const sourceId = model.flows.get(flowId)?.sourceId;
      if (sourceId === undefined || sourceId === targetId || found.has(sourceId)) continue;
      found.add(sourceId);
      queue.push(sourceId);
    }
  }
  return found;
}
