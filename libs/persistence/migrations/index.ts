import { Initial1795350007000 } from './1795350007000-initial';
import { Runtime1795352051000 } from './1795352051000-runtime';
import { Batches1795353188000 } from './1795353188000-batches';
import { Repository1795351792000 } from './1795351792000-repository';
import { HistoryDetails1795356400000 } from './1795356400000-history-details';
import { TaskLastUpdated1795353291000 } from './1795353291000-task-last-updated';
import { OperationLog1795360000000 } from './1795360000000-operation-log';
import { BatchJobRanges1795370000000 } from './1795370000000-batch-job-ranges';
import { DefinitionInstanceCounts1795380000000 } from './1795380000000-definition-instance-counts';
import { BatchDoneRanges1795390000000 } from './1795390000000-batch-done-ranges';
import { DispatchGenerations1795410000000 } from './1795410000000-dispatch-generations';
import { BatchItemCounts1795420000000 } from './1795420000000-batch-item-counts';
import { StartableInTasklist1795425000000 } from './1795425000000-startable-in-tasklist';
import { AsyncContinuations1795430000000 } from './1795430000000-async-continuations';
import { JobDefinitions1795440000000 } from './1795440000000-job-definitions';
import { JobLog1795450000000 } from './1795450000000-job-log';
import { CallActivities1795460000000 } from './1795460000000-call-activities';
import { BatchFailureReasons1795470000000 } from './1795470000000-batch-failure-reasons';
import { Console1795480000000 } from './1795480000000-console';
import { StartEvents1795486000000 } from './1795486000000-start-events';
import { VariableHistory1795500000000 } from './1795500000000-variable-history';
import { ConditionalEvents1795510000000 } from './1795510000000-conditional-events';
import { Compensation1795520000000 } from './1795520000000-compensation';
import { RestartAndTaskHistory1795530000000 } from './1795530000000-restart-and-task-history';
import { StartSubscriptionIds1795550000000 } from './1795550000000-start-subscription-ids';
import { SubscriptionOrder1795560000000 } from './1795560000000-subscription-order';

/** Every migration, oldest first. Listed explicitly so build output and tests load the same set. */
export const migrations = [
  Initial1795350007000,
  Repository1795351792000,
  Runtime1795352051000,
  Batches1795353188000,
  HistoryDetails1795356400000,
  TaskLastUpdated1795353291000,
  OperationLog1795360000000,
  BatchJobRanges1795370000000,
  DefinitionInstanceCounts1795380000000,
  BatchDoneRanges1795390000000,
  DispatchGenerations1795410000000,
  BatchItemCounts1795420000000,
  StartableInTasklist1795425000000,
  AsyncContinuations1795430000000,
  JobDefinitions1795440000000,
  JobLog1795450000000,
  CallActivities1795460000000,
  BatchFailureReasons1795470000000,
  Console1795480000000,
  StartEvents1795486000000,
  VariableHistory1795500000000,
  ConditionalEvents1795510000000,
  Compensation1795520000000,
  RestartAndTaskHistory1795530000000,
  StartSubscriptionIds1795550000000,
  SubscriptionOrder1795560000000,
];
