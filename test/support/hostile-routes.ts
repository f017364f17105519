/**
 * Every route of the README as data: its path parameters (and which real records they may name), its
 * query parameters and body fields by kind, and whether a valid request changes state. The fuzz test
 * turns these into hostile requests.
 */

/** Real records a path parameter may name. */
export type Target =
  | 'deployment'
  | 'definition'
  | 'key'
  | 'tenant'
  | 'instance'
  | 'variable'
  | 'task'
  | 'externalTask'
  | 'job'
  | 'jobDefinition'
  | 'batch';

/**
 * What a query parameter or body field holds. `name`, `freeText`, `storedIds`, `count` and `duration`
 * are stored (a name in a `VARCHAR(255)`, free text in a `TEXT`, ids as batch items, counts in an
 * `INT`, durations added to now in a `DATETIME`), so values that do not fit are invalid too.
 */
export type Kind =
  | 'text'
  | 'name'
  | 'freeText'
  | 'storedIds'
  | 'count'
  | 'duration'
  | 'bool'
  | 'int'
  | 'date'
  | 'list'
  | 'ids'
  | 'variables'
  | 'varFilters'
  | 'varParam'
  | 'sorting'
  | 'instructions'
  | 'plan'
  | 'query'
  | 'topics'
  | 'conditions'
  | 'conditionParam'
  | 'any';

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the REST root; `:name` marks a path parameter. */
  readonly path: string;
  readonly params?: Readonly<Record<string, Target>>;
  readonly query?: Readonly<Record<string, Kind>>;
  readonly body?: Readonly<Record<string, Kind>> | 'multipart' | 'variable';
  /** A valid request changes state: it gets real targets only together with an invalid field. */
  readonly writes?: boolean;
  /** Outside `/engine-rest` (health). */
  readonly absolute?: boolean;
}

const PAGING: Record<string, Kind> = {
  firstResult: 'text',
  maxResults: 'text',
  sortBy: 'text',
  sortOrder: 'text',
};
const TENANTS: Record<string, Kind> = { tenantIdIn: 'list', withoutTenantId: 'bool' };

const INSTANCE_FILTERS = {
  processInstanceIds: 'list',
  businessKey: 'text',
  businessKeyLike: 'text',
  processDefinitionId: 'text',
  processDefinitionKey: 'text',
  processDefinitionKeyIn: 'list',
  processDefinitionKeyNotIn: 'list',
  deploymentId: 'text',
  activityIdIn: 'list',
  suspended: 'bool',
  active: 'bool',
  processDefinitionWithoutTenantId: 'bool',
  variables: 'varParam',
  variableNamesIgnoreCase: 'bool',
  variableValuesIgnoreCase: 'bool',
  ...TENANTS,
} as const satisfies Record<string, Kind>;
const INSTANCE_QUERY_BODY: Record<string, Kind> = {
  ...INSTANCE_FILTERS,
  processInstanceIds: 'ids',
  processDefinitionKeyIn: 'ids',
  activityIdIn: 'ids',
  tenantIdIn: 'ids',
  variables: 'varFilters',
  sorting: 'sorting',
};
const TASK_FILTERS: Record<string, Kind> = {
  taskId: 'text',
  taskIdIn: 'list',
  processInstanceId: 'text',
  processInstanceIdIn: 'list',
  processInstanceBusinessKeyIn: 'list',
  processDefinitionKeyIn: 'list',
  activityInstanceIdIn: 'list',
  taskDefinitionKey: 'text',
  assignee: 'text',
  assigneeIn: 'list',
  candidateGroups: 'list',
  priority: 'int',
  minPriority: 'int',
  active: 'bool',
  ...TENANTS,
};
const EXTERNAL_TASK_FILTERS: Record<string, Kind> = {
  externalTaskId: 'text',
  externalTaskIdIn: 'list',
  topicName: 'text',
  workerId: 'text',
  locked: 'bool',
  processInstanceIdIn: 'list',
  priorityHigherThanOrEquals: 'int',
  ...TENANTS,
};
const JOB_FILTERS: Record<string, Kind> = {
  jobId: 'text',
  jobIds: 'list',
  processInstanceIds: 'list',
  timers: 'bool',
  messages: 'bool',
  dueDates: 'conditionParam',
  createTimes: 'conditionParam',
  priorityHigherThanOrEquals: 'int',
  ...TENANTS,
};
const JOB_DEFINITION_FILTERS: Record<string, Kind> = {
  jobDefinitionId: 'text',
  activityIdIn: 'list',
  processDefinitionId: 'text',
  processDefinitionKey: 'text',
  jobType: 'text',
  jobConfiguration: 'text',
  active: 'bool',
  suspended: 'bool',
  withOverridingJobPriority: 'bool',
  includeJobDefinitionsWithoutTenantId: 'bool',
  ...TENANTS,
};
const JOB_DEFINITION_SUSPENSION: Record<string, Kind> = {
  suspended: 'bool',
  includeJobs: 'bool',
  executionDate: 'date',
  processDefinitionTenantId: 'text',
  processDefinitionWithoutTenantId: 'bool',
};
const BATCH_FILTERS: Record<string, Kind> = { batchId: 'text', type: 'text', suspended: 'bool', ...TENANTS };
const HISTORY_FILTERS: Record<string, Kind> = {
  processInstanceIds: 'list',
  startedBefore: 'date',
  finishedAfter: 'date',
  state: 'text',
  completed: 'bool',
  ...TENANTS,
};

/** A JSON body of a query resource: its filters with lists as arrays. */
function asBody(filters: Record<string, Kind>): Record<string, Kind> {
  const body: Record<string, Kind> = { sorting: 'sorting' };
  for (const [name, kind] of Object.entries(filters)) {
    body[name] = kind === 'list' ? 'ids' : kind === 'conditionParam' ? 'conditions' : kind;
  }
  return body;
}

/** `GET|POST /<root>`, `GET|POST /<root>/count`. */
/** `POST /process-definition/{id}/restart` (and `-async`). */
const RESTART: Record<string, Kind> = {
  processInstanceIds: 'storedIds',
  historicProcessInstanceQuery: 'query',
  instructions: 'instructions',
  initialVariables: 'bool',
  skipCustomListeners: 'bool',
  skipIoMappings: 'bool',
  withoutBusinessKey: 'bool',
};

/** `PUT /external-task/retries` and `POST /external-task/retries-async`. */
const EXTERNAL_TASK_RETRIES: Record<string, Kind> = {
  retries: 'count',
  externalTaskIds: 'storedIds',
  processInstanceIds: 'storedIds',
  externalTaskQuery: 'query',
  processInstanceQuery: 'query',
  historicProcessInstanceQuery: 'query',
};

function queryResource(root: string, filters: Record<string, Kind>): Route[] {
  const body = asBody(filters);
  return [
    { method: 'GET', path: root, query: { ...filters, ...PAGING } },
    { method: 'GET', path: `${root}/count`, query: filters },
    { method: 'POST', path: root, query: PAGING, body },
    { method: 'POST', path: `${root}/count`, body },
  ];
}

const MIGRATION_EXECUTION: Record<string, Kind> = {
  migrationPlan: 'plan',
  processInstanceIds: 'storedIds',
  processInstanceQuery: 'query',
  skipCustomListeners: 'bool',
  skipIoMappings: 'bool',
};
const MODIFICATION: Record<string, Kind> = {
  processDefinitionId: 'text',
  instructions: 'instructions',
  processInstanceIds: 'storedIds',
  processInstanceQuery: 'query',
  skipCustomListeners: 'bool',
  annotation: 'freeText',
};
const INSTANCE_MODIFICATION: Record<string, Kind> = {
  instructions: 'instructions',
  skipIoMappings: 'bool',
  annotation: 'freeText',
};
const START: Record<string, Kind> = {
  businessKey: 'name',
  variables: 'variables',
  withVariablesInReturn: 'bool',
  startInstructions: 'instructions',
  skipCustomListeners: 'bool',
  skipIoMappings: 'bool',
};
const STATISTICS: Record<string, Kind> = { failedJobs: 'bool', incidents: 'bool', incidentsForType: 'text' };
const DEFINITION_PATHS: Array<[string, Record<string, Target>]> = [
  ['/process-definition/:id', { id: 'definition' }],
  ['/process-definition/key/:key', { key: 'key' }],
  ['/process-definition/key/:key/tenant-id/:tenant', { key: 'key', tenant: 'tenant' }],
];

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/engine' },
  { method: 'GET', path: '/version' },
  { method: 'GET', path: '/health/live', absolute: true },
  { method: 'GET', path: '/health/ready', absolute: true },

  { method: 'POST', path: '/deployment/create', body: 'multipart', writes: true },
  ...queryResource('/deployment', {
    id: 'text',
    name: 'text',
    nameLike: 'text',
    after: 'date',
    ...TENANTS,
  }).filter((route) => route.method === 'GET'),
  { method: 'GET', path: '/deployment/:id', params: { id: 'deployment' } },
  {
    method: 'DELETE',
    path: '/deployment/:id',
    params: { id: 'deployment' },
    query: { cascade: 'bool' },
    writes: true,
  },

  ...queryResource('/process-definition', {
    processDefinitionIdIn: 'list',
    key: 'text',
    keysIn: 'list',
    version: 'int',
    latestVersion: 'bool',
    ...TENANTS,
  }).filter((route) => route.method === 'GET'),
  ...DEFINITION_PATHS.flatMap(([path, params]): Route[] => [
    { method: 'GET', path, params },
    { method: 'GET', path: `${path}/xml`, params },
    { method: 'POST', path: `${path}/start`, params, body: START, writes: true },
    { method: 'GET', path: `${path}/statistics`, params, query: STATISTICS },
  ]),
  {
    method: 'GET',
    path: '/process-definition/statistics',
    query: { ...STATISTICS, rootIncidents: 'bool' },
  },
  ...['restart', 'restart-async'].map((action): Route => ({
    method: 'POST',
    path: `/process-definition/:id/${action}`,
    params: { id: 'definition' },
    body: RESTART,
    writes: true,
  })),

  ...queryResource('/process-instance', INSTANCE_FILTERS).map((route) =>
    route.method === 'POST' ? { ...route, body: INSTANCE_QUERY_BODY } : route,
  ),
  { method: 'GET', path: '/process-instance/:id', params: { id: 'instance' } },
  {
    method: 'DELETE',
    path: '/process-instance/:id',
    params: { id: 'instance' },
    query: { failIfNotExists: 'bool', deleteReason: 'text' },
    writes: true,
  },
  { method: 'GET', path: '/process-instance/:id/activity-instances', params: { id: 'instance' } },
  { method: 'GET', path: '/process-instance/:id/batches', params: { id: 'instance' }, query: PAGING },
  { method: 'GET', path: '/process-instance/:id/variables', params: { id: 'instance' } },
  {
    method: 'POST',
    path: '/process-instance/:id/variables',
    params: { id: 'instance' },
    body: { modifications: 'variables', deletions: 'ids' },
    writes: true,
  },
  {
    method: 'GET',
    path: '/process-instance/:id/variables/:name',
    params: { id: 'instance', name: 'variable' },
  },
  {
    method: 'PUT',
    path: '/process-instance/:id/variables/:name',
    params: { id: 'instance', name: 'variable' },
    body: 'variable',
    writes: true,
  },
  {
    method: 'DELETE',
    path: '/process-instance/:id/variables/:name',
    params: { id: 'instance', name: 'variable' },
    writes: true,
  },
  {
    method: 'PUT',
    path: '/process-instance/:id/suspended',
    params: { id: 'instance' },
    body: { suspended: 'bool' },
    writes: true,
  },
  {
    method: 'POST',
    path: '/process-instance/delete',
    body: { processInstanceIds: 'storedIds', processInstanceQuery: 'query', deleteReason: 'freeText' },
    writes: true,
  },
  {
    method: 'POST',
    path: '/process-instance/:id/modification',
    params: { id: 'instance' },
    body: INSTANCE_MODIFICATION,
    writes: true,
  },
  {
    method: 'POST',
    path: '/process-instance/:id/modification-async',
    params: { id: 'instance' },
    body: INSTANCE_MODIFICATION,
    writes: true,
  },

  ...queryResource('/task', TASK_FILTERS),
  { method: 'GET', path: '/task/:id', params: { id: 'task' } },
  {
    method: 'POST',
    path: '/task/:id/complete',
    params: { id: 'task' },
    body: { variables: 'variables', withVariablesInReturn: 'bool' },
    writes: true,
  },
  { method: 'POST', path: '/task/:id/claim', params: { id: 'task' }, body: { userId: 'name' }, writes: true },
  { method: 'POST', path: '/task/:id/unclaim', params: { id: 'task' }, writes: true },
  {
    method: 'POST',
    path: '/task/:id/assignee',
    params: { id: 'task' },
    body: { userId: 'name' },
    writes: true,
  },
  { method: 'GET', path: '/task/:id/variables', params: { id: 'task' } },
  { method: 'GET', path: '/task/:id/variables/:name', params: { id: 'task', name: 'variable' } },

  {
    method: 'POST',
    path: '/external-task/fetchAndLock',
    body: {
      workerId: 'name',
      maxTasks: 'int',
      usePriority: 'bool',
      asyncResponseTimeout: 'int',
      topics: 'topics',
      sorting: 'sorting',
    },
    writes: true,
  },
  ...queryResource('/external-task', EXTERNAL_TASK_FILTERS),
  { method: 'GET', path: '/external-task/:id', params: { id: 'externalTask' } },
  {
    method: 'POST',
    path: '/external-task/:id/complete',
    params: { id: 'externalTask' },
    body: { workerId: 'name', variables: 'variables', localVariables: 'variables' },
    writes: true,
  },
  {
    method: 'POST',
    path: '/external-task/:id/failure',
    params: { id: 'externalTask' },
    body: {
      workerId: 'name',
      errorMessage: 'freeText',
      errorDetails: 'text',
      retries: 'count',
      retryTimeout: 'duration',
    },
    writes: true,
  },
  {
    method: 'POST',
    path: '/external-task/:id/bpmnError',
    params: { id: 'externalTask' },
    body: { workerId: 'name', errorCode: 'text', errorMessage: 'text', variables: 'variables' },
    writes: true,
  },
  { method: 'POST', path: '/external-task/:id/unlock', params: { id: 'externalTask' }, writes: true },
  {
    method: 'PUT',
    path: '/external-task/:id/retries',
    params: { id: 'externalTask' },
    body: { retries: 'count' },
    writes: true,
  },
  { method: 'PUT', path: '/external-task/retries', body: EXTERNAL_TASK_RETRIES, writes: true },
  { method: 'POST', path: '/external-task/retries-async', body: EXTERNAL_TASK_RETRIES, writes: true },

  {
    method: 'POST',
    path: '/message',
    body: {
      messageName: 'text',
      businessKey: 'text',
      processInstanceId: 'text',
      tenantId: 'text',
      correlationKeys: 'variables',
      processVariables: 'variables',
      processVariablesLocal: 'variables',
      all: 'bool',
      resultEnabled: 'bool',
    },
    writes: true,
  },
  {
    method: 'POST',
    path: '/signal',
    body: {
      name: 'text',
      executionId: 'text',
      variables: 'variables',
      tenantId: 'text',
      withoutTenantId: 'bool',
    },
    writes: true,
  },
  {
    method: 'POST',
    path: '/condition',
    body: {
      variables: 'variables',
      businessKey: 'text',
      processDefinitionId: 'text',
      tenantId: 'text',
      withoutTenantId: 'bool',
    },
    writes: true,
  },
  ...queryResource('/event-subscription', {
    eventName: 'text',
    eventType: 'text',
    processInstanceId: 'text',
    ...TENANTS,
  }).filter((route) => route.method === 'GET'),

  ...queryResource('/job', JOB_FILTERS),
  ...queryResource('/incident', {
    incidentId: 'text',
    incidentType: 'text',
    processInstanceId: 'text',
    processDefinitionId: 'text',
    executionId: 'text',
    activityId: 'text',
    configuration: 'text',
    jobDefinitionIdIn: 'list',
  }).filter((route) => route.method === 'GET'),
  // Incidents have no target of their own: a job id names none (400 `incident is null`).
  {
    method: 'PUT',
    path: '/incident/:id/annotation',
    params: { id: 'job' },
    body: { annotation: 'freeText' },
    writes: true,
  },
  { method: 'DELETE', path: '/incident/:id/annotation', params: { id: 'job' }, writes: true },
  { method: 'GET', path: '/job/:id', params: { id: 'job' } },
  { method: 'GET', path: '/job/:id/stacktrace', params: { id: 'job' } },
  { method: 'POST', path: '/job/:id/execute', params: { id: 'job' }, writes: true },
  {
    method: 'PUT',
    path: '/job/:id/retries',
    params: { id: 'job' },
    body: { retries: 'count', dueDate: 'date' },
    writes: true,
  },
  {
    method: 'POST',
    path: '/job/retries',
    body: { jobIds: 'storedIds', jobQuery: 'query', retries: 'count', dueDate: 'date' },
    writes: true,
  },
  {
    method: 'PUT',
    path: '/job/:id/duedate',
    params: { id: 'job' },
    body: { duedate: 'date', cascade: 'bool' },
    writes: true,
  },
  { method: 'DELETE', path: '/job/:id', params: { id: 'job' }, writes: true },
  {
    method: 'PUT',
    path: '/job-definition/:id/retries',
    params: { id: 'jobDefinition' },
    body: { retries: 'count' },
    writes: true,
  },
  {
    method: 'PUT',
    path: '/job/:id/suspended',
    params: { id: 'job' },
    body: { suspended: 'bool' },
    writes: true,
  },
  {
    method: 'PUT',
    path: '/job/suspended',
    body: {
      suspended: 'bool',
      jobDefinitionId: 'text',
      processInstanceId: 'text',
      processDefinitionId: 'text',
      processDefinitionKey: 'text',
      processDefinitionTenantId: 'text',
    },
    writes: true,
  },
  {
    method: 'PUT',
    path: '/job/:id/priority',
    params: { id: 'job' },
    body: { priority: 'int' },
    writes: true,
  },
  ...queryResource('/job-definition', JOB_DEFINITION_FILTERS),
  { method: 'GET', path: '/job-definition/:id', params: { id: 'jobDefinition' } },
  {
    method: 'PUT',
    path: '/job-definition/:id/suspended',
    params: { id: 'jobDefinition' },
    body: JOB_DEFINITION_SUSPENSION,
    writes: true,
  },
  {
    method: 'PUT',
    path: '/job-definition/suspended',
    body: { ...JOB_DEFINITION_SUSPENSION, processDefinitionId: 'text', processDefinitionKey: 'text' },
    writes: true,
  },
  {
    method: 'PUT',
    path: '/job-definition/:id/jobPriority',
    params: { id: 'jobDefinition' },
    body: { priority: 'int', includeJobs: 'bool' },
    writes: true,
  },

  {
    method: 'POST',
    path: '/migration/generate',
    body: {
      sourceProcessDefinitionId: 'text',
      targetProcessDefinitionId: 'text',
      updateEventTriggers: 'bool',
      variables: 'variables',
    },
  },
  {
    method: 'POST',
    path: '/migration/validate',
    body: {
      sourceProcessDefinitionId: 'text',
      targetProcessDefinitionId: 'text',
      instructions: 'any',
      variables: 'variables',
    },
  },
  { method: 'POST', path: '/migration/execute', body: MIGRATION_EXECUTION, writes: true },
  { method: 'POST', path: '/migration/executeAsync', body: MIGRATION_EXECUTION, writes: true },
  { method: 'POST', path: '/modification/execute', body: MODIFICATION, writes: true },
  { method: 'POST', path: '/modification/executeAsync', body: MODIFICATION, writes: true },

  { method: 'GET', path: '/batch', query: { ...BATCH_FILTERS, ...PAGING } },
  { method: 'GET', path: '/batch/count', query: BATCH_FILTERS },
  { method: 'GET', path: '/batch/statistics', query: { ...BATCH_FILTERS, startedBefore: 'date', ...PAGING } },
  { method: 'GET', path: '/batch/statistics/', query: { createdBy: 'text', withFailures: 'bool' } },
  {
    method: 'GET',
    path: '/batch/statistics/count',
    query: { startedAfter: 'date', withoutFailures: 'bool' },
  },
  { method: 'GET', path: '/batch/:id', params: { id: 'batch' } },
  {
    method: 'PUT',
    path: '/batch/:id/suspended',
    params: { id: 'batch' },
    body: { suspended: 'bool' },
    writes: true,
  },
  { method: 'DELETE', path: '/batch/:id', params: { id: 'batch' }, query: { cascade: 'bool' }, writes: true },
  { method: 'GET', path: '/batch/:id/items', params: { id: 'batch' }, query: { state: 'text', ...PAGING } },
  { method: 'GET', path: '/batch/:id/items/count', params: { id: 'batch' }, query: { state: 'text' } },
  { method: 'GET', path: '/batch/:id/progress', params: { id: 'batch' } },
  { method: 'GET', path: '/batch/:id/failures', params: { id: 'batch' }, query: PAGING },
  { method: 'GET', path: '/batch/:id/failures/count', params: { id: 'batch' } },
  {
    method: 'POST',
    path: '/batch/:id/failures/retry',
    params: { id: 'batch' },
    body: { reason: 'freeText' },
    writes: true,
  },
  {
    method: 'POST',
    path: '/batch/:id/failures/delete',
    params: { id: 'batch' },
    body: { reason: 'freeText' },
    writes: true,
  },
  {
    method: 'GET',
    path: '/batch/:id/failures/items',
    params: { id: 'batch' },
    query: { reason: 'text', ...PAGING },
  },
  { method: 'GET', path: '/batch/:id/overview', params: { id: 'batch' } },
  { method: 'GET', path: '/batch/:id/progress/timeline', params: { id: 'batch' } },
  {
    method: 'GET',
    path: '/batch/overview',
    query: { type: 'text', state: 'text', createdBy: 'text', ...PAGING },
  },
  { method: 'GET', path: '/batch/overview/count', query: { type: 'text', state: 'text', createdBy: 'text' } },

  ...queryResource('/history/process-instance', HISTORY_FILTERS).filter((route) => route.method === 'GET'),
  { method: 'GET', path: '/history/process-instance/:id', params: { id: 'instance' } },
  ...queryResource('/history/activity-instance', {
    activityInstanceId: 'text',
    processInstanceId: 'text',
    startedAfter: 'date',
    canceled: 'bool',
    ...TENANTS,
  }).filter((route) => route.method === 'GET'),
  ...queryResource('/history/batch', { batchId: 'text', completed: 'bool', ...TENANTS }).filter(
    (route) => route.method === 'GET',
  ),
  { method: 'GET', path: '/history/batch/:id', params: { id: 'batch' } },
  { method: 'GET', path: '/history/batch/:id/progress', params: { id: 'batch' } },
  { method: 'DELETE', path: '/history/batch/:id', params: { id: 'batch' }, writes: true },
  ...queryResource('/history/job-log', {
    jobId: 'text',
    jobDefinitionType: 'text',
    activityIdIn: 'list',
    processInstanceId: 'text',
    jobPriorityLowerThanOrEquals: 'int',
    failureLog: 'bool',
    ...TENANTS,
  }),
  // A job id names no log entry: 404.
  { method: 'GET', path: '/history/job-log/:id', params: { id: 'job' } },
  { method: 'GET', path: '/history/job-log/:id/stacktrace', params: { id: 'job' } },
  ...queryResource('/history/variable-instance', {
    variableName: 'text',
    variableNameLike: 'text',
    variableNameIn: 'list',
    variableValue: 'text',
    variableNamesIgnoreCase: 'bool',
    variableTypeIn: 'list',
    includeDeleted: 'bool',
    processInstanceIdIn: 'list',
    activityInstanceIdIn: 'list',
    ...TENANTS,
  }),
  // An instance id names no variable: 404.
  { method: 'GET', path: '/history/variable-instance/:id', params: { id: 'instance' } },
  // Camunda has no POST /history/detail/count.
  ...queryResource('/history/task', {
    taskId: 'text',
    processInstanceId: 'text',
    processInstanceBusinessKeyIn: 'list',
    taskDefinitionKeyIn: 'list',
    taskAssignee: 'text',
    taskPriority: 'int',
    finished: 'bool',
    unfinished: 'bool',
    taskDueDateBefore: 'date',
    startedAfter: 'date',
    ...TENANTS,
  }),
  ...queryResource('/history/detail', {
    processInstanceId: 'text',
    variableInstanceId: 'text',
    variableTypeIn: 'list',
    variableNameLike: 'text',
    occurredAfter: 'date',
    initial: 'bool',
    formFields: 'bool',
    ...TENANTS,
  }).filter((route) => route.method === 'GET' || route.path === '/history/detail'),
  { method: 'GET', path: '/history/detail/:id', params: { id: 'instance' } },
  ...queryResource('/history/incident', {
    incidentId: 'text',
    processInstanceId: 'text',
    processDefinitionKeyIn: 'list',
    open: 'bool',
    createTimeAfter: 'date',
    ...TENANTS,
  }).filter((route) => route.method === 'GET'),
  ...queryResource('/history/user-operation', {
    processInstanceId: 'text',
    operationType: 'text',
    afterTimestamp: 'date',
  }).filter((route) => route.method === 'GET'),
];
