/**
 * Camunda's migration-instruction validators (reference §10.2 step 6), in Camunda's order, for the
 * BPMN this engine supports. Conditional-event rules have nothing to check here.
 * Each validator sees one resolved instruction and all resolved instructions of the plan.
 */
import type { FlowNode, ProcessModel } from '@libs/bpmn';
import {
  behaviorOf,
  definesPersistentEventTrigger,
  isConditionalEvent,
  eventTypeOf,
  flowScopesOf,
  triggerOwnerOf,
} from './activity-compatibility';

/** An instruction whose activities both exist. */
export interface ResolvedInstruction {
  readonly source: FlowNode;
  readonly target: FlowNode;
  readonly updateEventTrigger: boolean;
}

/** The resolved instructions of a plan, indexed by source and by target activity id. */
export class InstructionIndex {
  private readonly bySource = new Map<string, ResolvedInstruction[]>();
  private readonly byTarget = new Map<string, ResolvedInstruction[]>();

  constructor(
    readonly instructions: readonly ResolvedInstruction[],
    readonly sourceModel: ProcessModel,
    readonly targetModel: ProcessModel,
  ) {
    for (const instruction of instructions) {
      addTo(this.bySource, instruction.source.id, instruction);
      addTo(this.byTarget, instruction.target.id, instruction);
    }
  }

  /** Instructions whose source is `activityId`, in plan order. */
  fromSource(activityId: string): readonly ResolvedInstruction[] {
    return this.bySource.get(activityId) ?? [];
  }

  /** Instructions whose target is `activityId`, in plan order. */
  toTarget(activityId: string): readonly ResolvedInstruction[] {
    return this.byTarget.get(activityId) ?? [];
  }
}

function addTo(map: Map<string, ResolvedInstruction[]>, key: string, instruction: ResolvedInstruction): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [instruction]);
  else list.push(instruction);
}

type Validator = (instruction: ResolvedInstruction, index: InstructionIndex, failures: string[]) => void;

const sameBehavior: Validator = ({ source, target }, _index, failures) => {
  const [sourceBehavior, targetBehavior] = [behaviorOf(source), behaviorOf(target)];
  if (sourceBehavior !== targetBehavior) {
    failures.push(
      `Activities have incompatible types (${sourceBehavior} is not compatible with ${targetBehavior})`,
    );
  }
};

/** Camunda compares boundary events only; intermediate catch events are compared too (see module doc). */
const sameEventType: Validator = ({ source, target }, _index, failures) => {
  const [sourceType, targetType] = [eventTypeOf(source), eventTypeOf(target)];
  if (
    sourceType !== null &&
    targetType !== null &&
    source.kind === target.kind &&
    sourceType !== targetType
  ) {
    failures.push(`Events are not of the same type (${sourceType} != ${targetType})`);
  }
};

const onlyOnceMapped: Validator = ({ source }, index, failures) => {
  const mappings = index.fromSource(source.id);
  if (mappings.length <= 1) return;
  const listed = mappings
    .map(
      (m) =>
        `ValidatingMigrationInstructionImpl{sourceActivity=Activity(${m.source.id}), targetActivity=Activity(${m.target.id})}`,
    )
    .join(', ');
  failures.push(`There are multiple mappings for source activity id '${source.id}': ${listed}`);
};

/** The inner activity of a multi-instance body (`X` of `X#multiInstanceBody`), if `node` is a body. */
const innerOf = (node: FlowNode): string | null =>
  node.kind === 'multiInstanceBody' ? node.innerActivityId : null;

/** A target inside a multi-instance body must come with the body: an MI marker cannot be added. */
const cannotAddMultiInstanceBody: Validator = ({ target }, index, failures) => {
  for (const scopeId of flowScopesOf(index.targetModel, target)) {
    if (index.toTarget(scopeId).length > 0) return;
    const scope = index.targetModel.nodes.get(scopeId);
    if (scope?.kind === 'multiInstanceBody') {
      failures.push(
        `Target activity '${target.id}' is a descendant of multi-instance body '${scopeId}' that is not mapped from the source process definition.`,
      );
      return;
    }
  }
};

const cannotAddMultiInstanceInnerActivity: Validator = ({ target }, index, failures) => {
  const inner = innerOf(target);
  if (inner !== null && index.toTarget(inner).length === 0) {
    failures.push('Must map the inner activity of a multi-instance body when the body is mapped');
  }
};

const cannotRemoveMultiInstanceInnerActivity: Validator = ({ source }, index, failures) => {
  const inner = innerOf(source);
  if (inner !== null && index.fromSource(inner).length === 0) {
    failures.push('Cannot remove the inner activity of a multi-instance body when the body is mapped');
  }
};

const gatewayMapping: Validator = ({ source, target }, index, failures) => {
  if (target.kind !== 'parallelGateway' && target.kind !== 'inclusiveGateway') return;
  if (source.incoming.length > target.incoming.length) {
    failures.push(
      'The target gateway must have at least the same number of incoming sequence flows that the source gateway has',
    );
  }
  if (source.scopeId !== index.sourceModel.id && index.fromSource(source.scopeId).length === 0) {
    failures.push(`The gateway's flow scope '${source.scopeId}' must be mapped`);
  }
  if (index.toTarget(target.id).length > 1) {
    failures.push(`Only one gateway can be mapped to gateway '${target.id}'`);
  }
};

/**
 * An event whose event scope is another activity (a boundary event's host, the event-based gateway a
 * catch event follows, an event sub-process start event's scope) needs that scope migrated to the
 * target event's scope; the process maps to the process.
 */
const sameEventScope: Validator = ({ source, target }, index, failures) => {
  // Not for compensation boundary events: their host has completed long before compensation.
  if (source.kind === 'boundaryEvent' && source.trigger.type === 'compensate') return;
  const sourceHost = triggerOwnerOf(index.sourceModel, source);
  if (sourceHost === null || sourceHost === source.id) return;
  const targetHost = triggerOwnerOf(index.targetModel, target);
  if (targetHost === null) {
    failures.push(
      `The source activity's event scope (${sourceHost}) must be mapped but the target activity has no event scope`,
    );
    return;
  }
  const mappedHost =
    sourceHost === index.sourceModel.id ? index.targetModel.id : index.fromSource(sourceHost)[0]?.target.id;
  if (mappedHost !== targetHost) {
    failures.push(
      `The source activity's event scope (${sourceHost}) must be mapped to the target activity's event scope (${targetHost})`,
    );
  }
};

const updateEventTriggers: Validator = ({ source, updateEventTrigger }, _index, failures) => {
  if (updateEventTrigger && !definesPersistentEventTrigger(source)) {
    failures.push(
      'Cannot update event trigger because the activity does not define a persistent event trigger',
    );
  }
};

/** Hierarchy preservation: the closest mapped ancestor must map to an ancestor of the target. */
const additionalFlowScope: Validator = ({ source, target }, index, failures) => {
  const ancestor = flowScopesOf(index.sourceModel, source)
    .map((scopeId) => index.fromSource(scopeId)[0])
    .find((instruction) => instruction !== undefined);
  if (ancestor === undefined) return;
  if (!flowScopesOf(index.targetModel, target).includes(ancestor.target.id)) {
    failures.push(
      `The closest mapped ancestor '${ancestor.source.id}' is mapped to scope '${ancestor.target.id}' which is not an ancestor of target scope '${target.id}'`,
    );
  }
};

/** A conditional event's subscription is always rebuilt from the target's condition. */
const conditionalEventUpdateEventTrigger: Validator = ({ source, updateEventTrigger }, _index, failures) => {
  if (isConditionalEvent(source) && !updateEventTrigger) {
    failures.push('Conditional event has to migrate with update event trigger.');
  }
};

const VALIDATORS: readonly Validator[] = [
  sameBehavior,
  sameEventType,
  onlyOnceMapped,
  cannotAddMultiInstanceBody,
  cannotAddMultiInstanceInnerActivity,
  cannotRemoveMultiInstanceInnerActivity,
  gatewayMapping,
  sameEventScope,
  updateEventTriggers,
  additionalFlowScope,
  conditionalEventUpdateEventTrigger,
];

/** The validators plan generation applies only once all scopes are generated (bodies need their inner activity). */
const INNER_ACTIVITY_VALIDATORS: ReadonlySet<Validator> = new Set([
  cannotAddMultiInstanceInnerActivity,
  cannotRemoveMultiInstanceInnerActivity,
]);

/**
 * Every failure of `instruction` within the plan `index`, in Camunda's validator order.
 * `withInnerActivityChecks: false` leaves out the two multi-instance inner-activity validators, as
 * plan generation does while it still descends into bodies.
 */
export function validateInstruction(
  instruction: ResolvedInstruction,
  index: InstructionIndex,
  withInnerActivityChecks = true,
): string[] {
  const failures: string[] = [];
  for (const validator of VALIDATORS) {
    if (withInnerActivityChecks || !INNER_ACTIVITY_VALIDATORS.has(validator)) {
      validator(instruction, index, failures);
    }
  }
  return failures;
}
