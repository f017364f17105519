/**
 * The mutable working copy an operation runs on. It is built from the caller's state (which is never
 * touched: records are replaced, never changed) and turned back into a fresh state at the end; if the
 * operation throws, the draft is simply dropped, so a failed operation changes nothing.
 */
import type {
  ActivityInstance,
  AsyncJob,
  CallLinks,
  EventScope,
  EventSubscription,
  ExternalTaskRecord,
  InstanceStatus,
  ProcessInstanceState,
  Task,
  TimerJob,
  VariableRecord,
} from './instance-state';
import { OwnedRecords } from './owned-records';

/** Owner key of the root activity instance, which has no parent. */
const NO_PARENT = '';

/** The instance-level fields of the state, writable while the draft is open. */
export interface InstanceHeader {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  tenantId: string | null;
  state: InstanceStatus;
  suspended: boolean;
  startTime: Date;
  endTime: Date | null;
}

/**
 * Indexed, mutable copy of a state. Invariant: records are only added, replaced (same id) or removed,
 * never mutated in place, so records shared with the caller's state stay as they were.
 */
export class InstanceDraft {
  readonly header: InstanceHeader;
  /** Activity instances, indexed by parent id (the root under `''`). */
  readonly activityInstances: OwnedRecords<ActivityInstance>;
  readonly tasks: OwnedRecords<Task>;
  readonly externalTasks: OwnedRecords<ExternalTaskRecord>;
  readonly subscriptions: OwnedRecords<EventSubscription>;
  readonly jobs: OwnedRecords<TimerJob>;
  /** Asynchronous continuations, indexed by the scope instance their token waits in. */
  readonly asyncJobs: OwnedRecords<AsyncJob>;
  /** Variables, indexed by scope (activity instance, or a transition instance's execution) id. */
  readonly variables: OwnedRecords<VariableRecord>;
  /** Snapshots of completed scopes, indexed by the scope instance (or event scope) they belong to. */
  readonly eventScopes: OwnedRecords<EventScope>;
  /** See {@link ProcessInstanceState.callLinks}; never changes. */
  readonly callLinks: CallLinks | undefined;

  constructor(state: ProcessInstanceState) {
    this.callLinks = state.callLinks;
    this.header = {
      id: state.id,
      definitionId: state.definitionId,
      definitionKey: state.definitionKey,
      businessKey: state.businessKey,
      tenantId: state.tenantId,
      state: state.state,
      suspended: state.suspended,
      startTime: state.startTime,
      endTime: state.endTime,
    };
    this.activityInstances = new OwnedRecords(state.activityInstances, (ai) => ai.parentId ?? NO_PARENT);
    const byActivityInstance = (record: { readonly activityInstanceId: string }) => record.activityInstanceId;
    this.tasks = new OwnedRecords(state.tasks, byActivityInstance);
    this.externalTasks = new OwnedRecords(state.externalTasks, byActivityInstance);
    this.subscriptions = new OwnedRecords(state.eventSubscriptions, byActivityInstance);
    this.jobs = new OwnedRecords(state.jobs, byActivityInstance);
    this.asyncJobs = new OwnedRecords(state.asyncJobs, byActivityInstance);
    this.variables = new OwnedRecords(state.variables, (variable) => variable.scopeId);
    this.eventScopes = new OwnedRecords(state.eventScopes, (scope) => scope.parentId);
  }

  /** The root activity instance; `undefined` once the process instance has ended. */
  get root(): ActivityInstance | undefined {
    return this.activityInstances.ownedBy(NO_PARENT)[0];
  }

  get isActive(): boolean {
    return this.header.state === 'ACTIVE';
  }

  instance(id: string): ActivityInstance | undefined {
    return this.activityInstances.get(id);
  }

  /** The live child activity instances of a scope instance, in creation order. */
  childrenOf(scopeInstanceId: string): ActivityInstance[] {
    return this.activityInstances.ownedBy(scopeInstanceId);
  }

  /** True while the scope instance has child activity instances or tokens in transition instances. */
  hasChildren(scopeInstanceId: string): boolean {
    return this.childrenOf(scopeInstanceId).length > 0 || this.asyncJobs.ownedBy(scopeInstanceId).length > 0;
  }

  /** The chain from `id` up to the root, `id` first. Empty if `id` is not a live instance. */
  ancestry(id: string): ActivityInstance[] {
    const chain: ActivityInstance[] = [];
    for (let current = this.instance(id); current !== undefined;) {
      chain.push(current);
      current = current.parentId === null ? undefined : this.instance(current.parentId);
    }
    return chain;
  }

  /** A fresh state from the draft. */
  toState(): ProcessInstanceState {
    return {
      ...this.header,
      activityInstances: this.activityInstances.toArray(),
      tasks: this.tasks.toArray(),
      externalTasks: this.externalTasks.toArray(),
      eventSubscriptions: this.subscriptions.toArray(),
      jobs: this.jobs.toArray(),
      asyncJobs: this.asyncJobs.toArray(),
      variables: this.variables.toArray(),
      eventScopes: this.eventScopes.toArray(),
      ...(this.callLinks === undefined ? {} : { callLinks: this.callLinks }),
    };
  }
}
