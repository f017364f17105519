/**
 * The activity-instance tree in the exact shape of Camunda's REST `ActivityInstanceDto`
 * (`GET /process-instance/{id}/activity-instances`, reference §5.3). A pure view over the state.
 */
import type { ProcessModel } from '@libs/bpmn';
import type { ActivityInstance, ProcessInstanceState } from './instance-state';

/** An incident reference in the tree; this engine raises no incidents, so the lists stay empty. */
export interface ActivityInstanceIncidentDto {
  readonly id: string;
  readonly activityId: string;
}

/** A pending asynchronous continuation; this engine runs continuations synchronously, so there are none. */
export interface TransitionInstanceDto {
  readonly id: string;
  readonly parentActivityInstanceId: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly activityId: string;
  readonly targetActivityId: string;
  readonly activityName: string | null;
  readonly activityType: string;
  readonly executionId: string;
  readonly incidentIds: readonly string[];
  readonly incidents: readonly ActivityInstanceIncidentDto[];
}

/** Camunda's `ActivityInstanceDto`: every field always present, arrays possibly empty. */
export interface ActivityInstanceDto {
  readonly id: string;
  readonly parentActivityInstanceId: string | null;
  readonly activityId: string;
  readonly activityType: string;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly activityName: string | null;
  /** Deprecated alias of `activityName`, still emitted by Camunda. */
  readonly name: string | null;
  readonly executionIds: readonly string[];
  readonly incidentIds: readonly string[];
  readonly incidents: readonly ActivityInstanceIncidentDto[];
  readonly childActivityInstances: readonly ActivityInstanceDto[];
  readonly childTransitionInstances: readonly TransitionInstanceDto[];
}

/**
 * The tree of a running instance: root id = process instance id, root activity id = definition id,
 * type `processDefinition`, name = process name; children in creation order. Returns `null` for an
 * instance that has ended (Camunda answers 404 for it).
 */
export function activityInstanceTree(
  model: ProcessModel,
  state: ProcessInstanceState,
): ActivityInstanceDto | null {
  const children = new Map<string | null, ActivityInstance[]>();
  for (const instance of state.activityInstances) {
    const siblings = children.get(instance.parentId);
    if (siblings === undefined) children.set(instance.parentId, [instance]);
    else siblings.push(instance);
  }
  const root = children.get(null)?.[0];
  if (root === undefined || state.state !== 'ACTIVE') return null;

  const toDto = (instance: ActivityInstance): ActivityInstanceDto => {
    const name =
      instance.parentId === null ? model.name : (model.nodes.get(instance.activityId)?.name ?? null);
    return {
      id: instance.id,
      parentActivityInstanceId: instance.parentId,
      activityId: instance.activityId,
      activityType: instance.activityType,
      processInstanceId: state.id,
      processDefinitionId: state.definitionId,
      activityName: name,
      name,
      executionIds: [instance.executionId],
      incidentIds: [],
      incidents: [],
      childActivityInstances: (children.get(instance.id) ?? []).map(toDto),
      childTransitionInstances: [],
    };
  };
  return toDto(root);
}
