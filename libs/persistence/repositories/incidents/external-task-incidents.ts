import { randomUUID } from 'node:crypto';
import type { InstanceChange } from '../instance-store';

/** The `failedExternalTask` incident to raise for an external task whose retries reached 0. */
export interface NewExternalTaskIncident {
  readonly id: string;
  readonly externalTaskId: string;
  readonly message: string | null;
  readonly timestamp: Date;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly executionId: string;
  readonly activityId: string;
  readonly tenantId: string | null;
}

/** Where an external task out of retries stands after its instance was migrated. */
export interface MovedExternalTask {
  readonly externalTaskId: string;
  readonly activityId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
}

/** What the changes do to external tasks' incidents. */
export interface ExternalTaskIncidentChanges {
  /** Tasks out of retries that a migration moved: their incidents follow them. */
  readonly moved: MovedExternalTask[];
  readonly raised: NewExternalTaskIncident[];
  /** Tasks given retries again, or completed while out of retries. */
  readonly resolved: string[];
  /** Tasks out of retries that went without completing (cancelled with their scope or instance). */
  readonly deleted: string[];
}

/**
 * Camunda's `ExternalTaskEntity.setRetriesAndManageIncidents` over instance changes: a task whose retries
 * reach 0 (a failure report or `setRetries`) gets a `failedExternalTask` incident, one given retries again
 * has it resolved, one a migration moves keeps it, re-pointed; a task out of retries that goes takes its
 * incident along. Only tasks at 0 retries, before or after, cost anything.
 */
export function externalTaskIncidentChanges(
  changes: readonly InstanceChange[],
  now: Date,
): ExternalTaskIncidentChanges {
  const raised: NewExternalTaskIncident[] = [];
  const moved: MovedExternalTask[] = [];
  const resolved: string[] = [];
  const deleted: string[] = [];
  for (const { before, after, effects } of changes) {
    const previous = new Map((before?.state.externalTasks ?? []).map((task) => [task.id, task]));
    const current = after.state === 'ACTIVE' ? after.externalTasks : [];
    const completed = new Set(
      (effects ?? []).flatMap((effect) =>
        effect.type === 'externalTaskEnded' && effect.reason === 'completed' ? [effect.externalTaskId] : [],
      ),
    );
    for (const task of current) {
      const old = previous.get(task.id);
      previous.delete(task.id);
      if (task.retries === 0 && old?.retries !== 0) {
        raised.push({
          id: randomUUID(),
          externalTaskId: task.id,
          message: task.errorMessage,
          timestamp: now,
          processInstanceId: after.id,
          processDefinitionId: after.definitionId,
          processDefinitionKey: after.definitionKey,
          executionId: task.executionId,
          activityId: task.activityId,
          tenantId: after.tenantId,
        });
      } else if (old?.retries === 0 && task.retries !== 0) resolved.push(task.id);
      else if (
        task.retries === 0 &&
        (old?.activityId !== task.activityId || before?.state.definitionId !== after.definitionId)
      ) {
        moved.push({
          externalTaskId: task.id,
          activityId: task.activityId,
          processDefinitionId: after.definitionId,
          processDefinitionKey: after.definitionKey,
        });
      }
    }
    for (const gone of previous.values()) {
      if (gone.retries === 0) (completed.has(gone.id) ? resolved : deleted).push(gone.id);
    }
  }
  return { raised, moved, resolved, deleted };
}
