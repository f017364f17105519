/**
 * Execution-time validation of one process instance against a valid plan (reference §10.5). Every
 * activity instance is matched with the instruction for its activity; a leaf without instruction
 * cannot be migrated, while a scope instance without instruction is allowed (it is cancelled and its
 * mapped children move up). Records that belong to no live activity instance cannot be migrated.
 */
import { ProcessEngineException } from '../errors';
import type { ActivityInstance, AsyncJob, ProcessInstanceState } from '../state/instance-state';
import { supportsInstanceMigration } from './activity-compatibility';
import { compensationFailures } from './compensation-migration';
import type { CompiledMigrationPlan } from './compiled-plan';
import type {
  MigratingActivityInstanceValidationReport,
  MigratingProcessInstanceValidationReport,
  MigratingTransitionInstanceValidationReport,
} from './migration-reports';

/**
 * Checks what Camunda checks before the instance validation: the instance runs, may move to the
 * target's tenant, and runs on the plan's source definition.
 * @throws ProcessEngineException ENGINE-23003, ENGINE-23010 or ENGINE-23002.
 */
export function requireMigratable(plan: CompiledMigrationPlan, state: ProcessInstanceState): void {
  if (state.state !== 'ACTIVE') {
    throw new ProcessEngineException(
      `ENGINE-23003 Process instance '${state.id}' cannot be migrated. The process instance does not exist`,
    );
  }
  const targetTenant = plan.target.tenantId ?? null;
  if (targetTenant !== null && state.tenantId !== targetTenant) {
    throw new ProcessEngineException(
      state.tenantId === null
        ? `ENGINE-23010 Cannot migrate process instance '${state.id}' without tenant to a process definition with a tenant ('${targetTenant}')`
        : `ENGINE-23010 Cannot migrate process instance '${state.id}' to a process definition of a different tenant ('${state.tenantId}' != '${targetTenant}')`,
    );
  }
  if (state.definitionId !== plan.source.id) {
    throw new ProcessEngineException(
      `ENGINE-23002 Process instance '${state.id}' cannot be migrated. Its process definition '${state.definitionId}' does not match the source process definition of the migration plan '${plan.source.id}'`,
    );
  }
}

/**
 * The instance report of `state` under `plan`; it lists no failure when the instance can be migrated.
 * Activity-instance reports follow the tree top-down in creation order.
 * @throws ProcessEngineException see {@link requireMigratable}.
 */
export function validateInstance(
  plan: CompiledMigrationPlan,
  state: ProcessInstanceState,
): MigratingProcessInstanceValidationReport {
  requireMigratable(plan, state);
  const children = new Map<string, ActivityInstance[]>();
  let root: ActivityInstance | undefined;
  for (const instance of state.activityInstances) {
    if (instance.parentId === null) root = instance;
    else {
      const siblings = children.get(instance.parentId);
      if (siblings === undefined) children.set(instance.parentId, [instance]);
      else siblings.push(instance);
    }
  }
  const reports: MigratingActivityInstanceValidationReport[] = [];
  const parked = new Set(state.asyncJobs.map((job) => job.activityInstanceId));
  const compensation = compensationFailures(plan, state);
  const visit = (instance: ActivityInstance): void => {
    const kids = children.get(instance.id) ?? [];
    const extra = compensation.get(instance.id) ?? [];
    if (instance.parentId !== null) {
      // A scope whose only children are transition instances is no leaf either (Camunda counts both).
      const report = validateActivityInstance(plan, instance, kids.length > 0 || parked.has(instance.id));
      if (report !== null || extra.length > 0) {
        const instruction = plan.instructionFor(instance.activityId);
        reports.push({
          migrationInstruction: instruction?.dto ?? null,
          activityInstanceId: instance.id,
          sourceScopeId: instance.activityId,
          failures: [...(report?.failures ?? []), ...extra],
        });
      }
    } else if (extra.length > 0) {
      reports.push({
        migrationInstruction: null,
        activityInstanceId: instance.id,
        sourceScopeId: state.definitionId,
        failures: extra,
      });
    }
    kids.forEach(visit);
  };
  if (root !== undefined) visit(root);
  return {
    processInstanceId: state.id,
    failures: unattachedRecordFailures(state),
    activityInstanceValidationReports: reports,
    transitionInstanceValidationReports: state.asyncJobs
      .map((job) => transitionReport(plan, job))
      .filter((report) => report !== null),
  };
}

/**
 * Camunda's checks of a transition instance, in its order: it has an instruction (any activity type
 * may have one); an asyncAfter token's flow can be found again in a target with several outgoing
 * flows; a token that starts the process stays at process level; the target is async the same way.
 */
function transitionReport(
  plan: CompiledMigrationPlan,
  job: AsyncJob,
): MigratingTransitionInstanceValidationReport | null {
  const instruction = plan.instructionFor(job.activityId);
  const failures: string[] = [];
  if (instruction === undefined) {
    failures.push("There is no migration instruction for this instance's activity");
  } else {
    const { target } = instruction;
    if (job.direction === 'after' && target.outgoing.length > 1) {
      if (job.flowId === null) {
        failures.push(
          'Transition instance is assigned to no sequence flow and target activity has more than one outgoing sequence flow',
        );
      } else if (!target.outgoing.includes(job.flowId)) {
        failures.push(
          'Transition instance is assigned to a sequence flow that cannot be matched in the target activity',
        );
      }
    }
    if (startsProcess(plan, job) && target.scopeId !== plan.target.model.id) {
      failures.push(
        'A transition instance that instantiates the process can only be migrated to a process-level flow node',
      );
    }
    if (job.direction === 'after' ? !target.asyncAfter : !target.asyncBefore) {
      failures.push(`Target activity is not ${job.direction === 'after' ? 'asyncAfter' : 'asyncBefore'}`);
    }
  }
  if (failures.length === 0) return null;
  return {
    migrationInstruction: instruction?.dto ?? null,
    transitionInstanceId: job.executionId,
    sourceScopeId: job.activityId,
    failures,
  };
}

/** The token waits before the process's own start event: Camunda's `process-start` continuation. */
function startsProcess(plan: CompiledMigrationPlan, job: AsyncJob): boolean {
  const source = plan.source.model.nodes.get(job.activityId);
  return (
    job.direction === 'before' && source?.kind === 'startEvent' && source.scopeId === plan.source.model.id
  );
}

function validateActivityInstance(
  plan: CompiledMigrationPlan,
  instance: ActivityInstance,
  hasChildren: boolean,
): MigratingActivityInstanceValidationReport | null {
  const instruction = plan.instructionFor(instance.activityId);
  const failures: string[] = [];
  if (instruction === undefined && !hasChildren) {
    failures.push("There is no migration instruction for this instance's activity");
  }
  const node = plan.source.model.nodes.get(instance.activityId);
  if (node === undefined || !supportsInstanceMigration(node)) {
    failures.push('The type of the source activity is not supported for activity instance migration');
  }
  if (failures.length === 0) return null;
  return {
    migrationInstruction: instruction?.dto ?? null,
    activityInstanceId: instance.id,
    sourceScopeId: instance.activityId,
    failures,
  };
}

/** Camunda's "Process instance contains not migrated …" failures, for records of no live instance. */
function unattachedRecordFailures(state: ProcessInstanceState): string[] {
  const live = new Set([
    ...state.activityInstances.map((instance) => instance.id),
    ...state.eventScopes.map((scope) => scope.id),
  ]);
  const orphans = (records: readonly { id: string; owner: string }[]) =>
    records.filter((record) => !live.has(record.owner)).map((record) => record.id);
  const byInstance = (records: readonly { id: string; activityInstanceId: string }[]) =>
    orphans(records.map((record) => ({ id: record.id, owner: record.activityInstanceId })));
  const kinds: ReadonlyArray<[string, string[]]> = [
    ['tasks', byInstance(state.tasks)],
    ['externalTask', byInstance(state.externalTasks)],
    ['jobs', byInstance(state.jobs)],
    ['event subscriptions', byInstance(state.eventSubscriptions)],
    ['variables', orphans(state.variables.map((v) => ({ id: v.id, owner: v.scopeId })))],
  ];
  return kinds
    .filter(([, ids]) => ids.length > 0)
    .map(([kind, ids]) => `Process instance contains not migrated ${kind}: [${ids.join(', ')}]`);
}
