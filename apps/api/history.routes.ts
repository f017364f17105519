import { z } from 'zod';
import {
  authenticatedUserId,
  InvalidRequestException,
  parseRequest,
  QueryParams,
  readPage,
  readSorting,
} from '@libs/http';
import type { Services } from '../common/services';
import {
  HISTORIC_INCIDENT_SORT_KEYS,
  historicIncidentDto,
  readHistoricIncidentQueryParams,
} from './dto/historic-incident.dto';
import {
  historicJobLogDto,
  JOB_LOG_SORT_KEYS,
  readJobLogQueryBody,
  readJobLogQueryParams,
} from './dto/historic-job-log.dto';
import { batchDto, batchDtoSchema } from './dto/batch.dto';
import {
  HISTORIC_DETAIL_SORT_KEYS,
  HISTORIC_VARIABLE_INSTANCE_SORT_KEYS,
  historicDetailDto,
  historicVariableInstanceDto,
  readHistoricDetailQuery,
  readHistoricDetailQueryBody,
  readHistoricVariableInstanceQuery,
  readHistoricVariableInstanceQueryBody,
} from './dto/historic-variable.dto';
import {
  HISTORIC_TASK_SORT_KEYS,
  historicTaskDto,
  readHistoricTaskQuery,
  readHistoricTaskQueryBody,
} from './dto/historic-task.dto';
import { readHistoricSelection } from './dto/instance-selection.dto';
import { storedId, storedText } from './dto/stored-fields';
import { mountQueryEndpoints } from './query-endpoints';

const deleteHistoryBody = z
  .object({
    historicProcessInstanceIds: z.array(storedId).nullish(),
    historicProcessInstanceQuery: z.unknown().optional(),
    deleteReason: storedText.nullish(),
    failIfNotExists: z.boolean().nullish(),
  })
  .loose();
import {
  HISTORIC_ACTIVITY_INSTANCE_SORT_KEYS,
  historicActivityInstanceDto,
  readHistoricActivityInstanceQuery,
} from './dto/historic-activity-instance.dto';
import {
  HISTORIC_PROCESS_INSTANCE_SORT_KEYS,
  historicProcessInstanceDto,
  readHistoricProcessInstanceQuery,
  readHistoricProcessInstanceQueryBody,
} from './dto/historic-process-instance.dto';
import { ApiRouter, TEXT } from './openapi/api-router';
import { countResultDto, jsonObject } from './openapi/schemas';

/**
 * `/history`: process instances and activity instances, running and ended; variable instances and
 * their updates; the job log; incidents.
 */
export function historyRoutes({ history, historicDeletions }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'History' });

  router.post(
    '/process-instance/delete',
    {
      summary: 'Delete historic process instances (batch)',
      body: jsonObject,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    async (req, res) => {
      const body = parseRequest(deleteHistoryBody, req.body ?? {});
      const batch = await historicDeletions.deleteAsync(
        {
          historicProcessInstanceIds: body.historicProcessInstanceIds ?? [],
          historicProcessInstanceQuery: readHistoricSelection(body.historicProcessInstanceQuery),
          deleteReason: body.deleteReason ?? null,
          failIfNotExists: body.failIfNotExists ?? true,
        },
        authenticatedUserId(res),
      );
      res.json(batchDto(batch));
    },
  );
  router.delete(
    '/process-instance/:id',
    { summary: 'Delete a historic process instance', responses: { 204: null }, errors: [404] },
    async (req, res) => {
      const { id } = req.params;
      const failIfNotExists = QueryParams.of(req).boolean('failIfNotExists') ?? true;
      if (!(await history.getProcessInstance(id))) {
        if (!failIfNotExists) {
          res.status(204).end();
          return;
        }
        throw new InvalidRequestException(404, `Historic process instance with id ${id} does not exist`);
      }
      await historicDeletions.deleteOne(id, failIfNotExists, authenticatedUserId(res));
      res.status(204).end();
    },
  );

  const processInstances = new ApiRouter({ tag: 'History' });
  mountQueryEndpoints(processInstances, {
    resource: 'historic process instances',
    item: jsonObject,
    sortKeys: HISTORIC_PROCESS_INSTANCE_SORT_KEYS,
    fromParams: readHistoricProcessInstanceQuery,
    fromBody: (body) => readHistoricProcessInstanceQueryBody(body),
    list: (query, page, sorting) => history.queryProcessInstances(query, page, sorting),
    count: (query) => history.countProcessInstances(query),
    toDto: historicProcessInstanceDto,
  });
  router.mount('/process-instance', processInstances);
  router.get(
    '/process-instance/:id',
    { summary: 'Get a historic process instance', responses: { 200: jsonObject }, errors: [404] },
    async (req, res) => {
      const instance = await history.getProcessInstance(req.params.id);
      if (!instance) {
        throw new InvalidRequestException(
          404,
          `Historic process instance with id ${req.params.id} does not exist`,
        );
      }
      res.json(historicProcessInstanceDto(instance));
    },
  );

  router.get(
    '/activity-instance',
    { summary: 'List historic activity instances', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const activities = await history.queryActivityInstances(
        readHistoricActivityInstanceQuery(params),
        readPage(params),
        readSorting(params, HISTORIC_ACTIVITY_INSTANCE_SORT_KEYS),
      );
      res.json(activities.map(historicActivityInstanceDto));
    },
  );
  router.get(
    '/activity-instance/count',
    { summary: 'Count historic activity instances', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      const query = readHistoricActivityInstanceQuery(QueryParams.of(req));
      res.json({ count: await history.countActivityInstances(query) });
    },
  );

  router.mount('/job-log', jobLogRoutes({ history }));
  router.mount('/variable-instance', variableInstanceRoutes({ history }));
  router.mount('/detail', detailRoutes({ history }));

  const tasks = new ApiRouter({ tag: 'History' });
  mountQueryEndpoints(tasks, {
    resource: 'historic task instances',
    item: jsonObject,
    sortKeys: HISTORIC_TASK_SORT_KEYS,
    fromParams: readHistoricTaskQuery,
    fromBody: readHistoricTaskQueryBody,
    list: (query, page, sorting) => history.queryTasks(query, page, sorting),
    count: (query) => history.countTasks(query),
    toDto: historicTaskDto,
  });
  router.mount('/task', tasks);

  router.get(
    '/incident',
    { summary: 'List historic incidents', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const incidents = await history.queryIncidents(
        readHistoricIncidentQueryParams(params),
        readPage(params),
        readSorting(params, HISTORIC_INCIDENT_SORT_KEYS),
      );
      res.json(incidents.map(historicIncidentDto));
    },
  );
  router.get(
    '/incident/count',
    { summary: 'Count historic incidents', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      res.json({ count: await history.countIncidents(readHistoricIncidentQueryParams(QueryParams.of(req))) });
    },
  );

  return router;
}

/**
 * `/history/job-log`: the entries of timers and asynchronous continuations (created, failed,
 * successful, deleted), listed and counted (GET and POST), one by id, and a failure's stack trace.
 */
function jobLogRoutes({ history }: Pick<Services, 'history'>): ApiRouter {
  const router = new ApiRouter({ tag: 'History' });
  mountQueryEndpoints(router, {
    resource: 'historic job logs',
    item: jsonObject,
    sortKeys: JOB_LOG_SORT_KEYS,
    fromParams: readJobLogQueryParams,
    fromBody: readJobLogQueryBody,
    list: (query, page, sorting) => history.queryJobLog(query, page, sorting),
    count: (query) => history.countJobLog(query),
    toDto: historicJobLogDto,
  });
  router.get(
    '/:id',
    { summary: 'Get a historic job log', responses: { 200: jsonObject }, errors: [404] },
    async (req, res) => {
      const entry = await history.getJobLog(req.params.id);
      if (!entry) {
        throw new InvalidRequestException(404, `Historic job log with id ${req.params.id} does not exist`);
      }
      res.json(historicJobLogDto(entry));
    },
  );
  router.get(
    '/:id/stacktrace',
    { summary: "A historic job log's stack trace", responses: { 200: TEXT, 204: null }, errors: [404] },
    async (req, res) => {
      const trace = await history.jobLogStackTrace(req.params.id);
      if (trace === undefined) {
        throw new InvalidRequestException(
          404,
          `No historic job log found with id ${req.params.id}: historicJobLog is null`,
        );
      }
      // Camunda answers the entry's stack trace as text; an entry without one has an empty body.
      if (trace === null) res.status(204).end();
      else res.type('text/plain').send(trace);
    },
  );
  return router;
}

/** `/history/variable-instance`: variable instances, deleted ones on request, listed, counted and by id. */
function variableInstanceRoutes({ history }: Pick<Services, 'history'>): ApiRouter {
  const router = new ApiRouter({ tag: 'History' });
  mountQueryEndpoints(router, {
    resource: 'historic variable instances',
    item: jsonObject,
    sortKeys: HISTORIC_VARIABLE_INSTANCE_SORT_KEYS,
    fromParams: (params) => readHistoricVariableInstanceQuery(params),
    fromBody: readHistoricVariableInstanceQueryBody,
    list: (query, page, sorting) => history.queryVariableInstances(query, page, sorting),
    count: (query) => history.countVariableInstances(query),
    toDto: historicVariableInstanceDto,
  });
  router.get(
    '/:id',
    { summary: 'Get a historic variable instance', responses: { 200: jsonObject }, errors: [404] },
    async (req, res) => {
      const variable = await history.getVariableInstance(req.params.id);
      if (!variable) {
        throw new InvalidRequestException(
          404,
          `Historic variable instance with Id '${req.params.id}' does not exist.`,
        );
      }
      res.json(historicVariableInstanceDto(variable));
    },
  );
  return router;
}

/**
 * `/history/detail`: the variable updates (Camunda's only other kind, form fields, does not exist
 * here), listed with GET parameters or a POST body, counted (GET only, as in Camunda) and by id.
 */
function detailRoutes({ history }: Pick<Services, 'history'>): ApiRouter {
  const router = new ApiRouter({ tag: 'History' });
  router.get(
    '/',
    { summary: 'List historic details', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const query = readHistoricDetailQuery(params);
      const details = await history.queryDetails(
        query,
        readPage(params),
        readSorting(params, HISTORIC_DETAIL_SORT_KEYS),
      );
      res.json(details.map(historicDetailDto));
    },
  );
  router.post(
    '/',
    {
      summary: 'List historic details (query body)',
      body: jsonObject,
      responses: { 200: z.array(jsonObject) },
      errors: [400],
    },
    async (req, res) => {
      const { query, sorting } = readHistoricDetailQueryBody(req.body);
      const details = await history.queryDetails(query, readPage(QueryParams.of(req)), sorting);
      res.json(details.map(historicDetailDto));
    },
  );
  router.get(
    '/count',
    { summary: 'Count historic details', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      res.json({ count: await history.countDetails(readHistoricDetailQuery(QueryParams.of(req))) });
    },
  );
  router.get(
    '/:id',
    { summary: 'Get a historic detail', responses: { 200: jsonObject }, errors: [404] },
    async (req, res) => {
      const detail = await history.getDetail(req.params.id);
      if (!detail) {
        throw new InvalidRequestException(404, `Historic detail with Id '${req.params.id}' does not exist.`);
      }
      res.json(historicDetailDto(detail));
    },
  );
  return router;
}
