/**
 * The activity-instance tree in the exact shape of Camunda's REST `ActivityInstanceDto`
 * (`GET /process-instance/{id}/activity-instances`, reference §5.3). A pure view over the state.
 */
import type { ProcessModel } from '@libs/bpmn';
import { activityTypeOf } from '../execution/activity-types';
import type { ActivityInstance, AsyncJob, ProcessInstanceState } from './instance-state';

/** An incident reference in the tree (Camunda's `ActivityInstanceIncidentDto`). */
export interface ActivityInstanceIncidentDto {
  readonly id: string;
  readonly activityId: string;
}

/** An open incident of the instance, with the execution it belongs to (shown on that execution's node). */
export interface TreeIncident extends ActivityInstanceIncidentDto {
  readonly executionId: string;
}

/**
 * A pending asynchronous continuation (a token parked before or after `activityId`); `id` is its
 * execution id, as in Camunda.
 */
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
  incidents: readonly TreeIncident[] = [],
): ActivityInstanceDto | null {
  const transitions = new Map<string, AsyncJob[]>();
  for (const job of state.asyncJobs) {
    transitions.set(job.activityInstanceId, [...(transitions.get(job.activityInstanceId) ?? []), job]);
  }
  const incidentsOf = (executionId: string): ActivityInstanceIncidentDto[] =>
    incidents
      .filter((incident) => incident.executionId === executionId)
      .map(({ id, activityId }) => ({ id, activityId }));
  const toTransitionDto = (job: AsyncJob): TransitionInstanceDto => {
    const node = model.nodes.get(job.activityId);
    const jobIncidents = incidentsOf(job.executionId);
    return {
      id: job.executionId,
      parentActivityInstanceId: job.activityInstanceId,
      processInstanceId: state.id,
      processDefinitionId: state.definitionId,
      activityId: job.activityId,
      targetActivityId: job.activityId,
      activityName: node?.name ?? null,
      activityType: node === undefined ? 'unknown' : activityTypeOf(node),
      executionId: job.executionId,
      incidentIds: jobIncidents.map((incident) => incident.id),
      incidents: jobIncidents,
    };
  };
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
    const ownIncidents = incidentsOf(instance.executionId);
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
      incidentIds: ownIncidents.map((incident) => incident.id),
      incidents: ownIncidents,
      childActivityInstances: (children.get(instance.id) ?? []).map(toDto),
      childTransitionInstances: (transitions.get(instance.id) ?? []).map(toTransitionDto),
    };
  };
  return toDto(root);
}
