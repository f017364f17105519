import request from 'supertest';
import { formatDate, parseDate } from '@libs/http';
import type { Component } from '../../apps/common/process';
import { startWorker } from '../../apps/worker/worker';
import { startInstance, waitingIn } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface LogEntry {
  id: string;
  timestamp: string;
  jobId: string;
  jobDueDate: string | null;
  jobRetries: number;
  jobExceptionMessage: string | null;
  failedActivityId: string | null;
  creationLog: boolean;
  failureLog: boolean;
  successLog: boolean;
  deletionLog: boolean;
}

interface HistoricIncident {
  id: string;
  open: boolean;
  resolved: boolean;
  deleted: boolean;
  endTime: string | null;
  historyConfiguration: string | null;
  annotation: string | null;
}

const kind = (entry: LogEntry) =>
  entry.creationLog ? 'created' : entry.failureLog ? 'failed' : entry.successLog ? 'successful' : 'deleted';
const millis = (text: string) => parseDate(text)!.getTime();

/**
 * The job log and incident history through HTTP, and retry cycles with real workers: entries for
 * created, failed, successful and deleted jobs, incidents from open to resolved or deleted, annotations.
 */
describe('job log and incident history', () => {
  let stack: TestStack;
  let workers: readonly Component[] = [];
  const rest = () => request(stack.app);

  const logOf = async (instanceId: string): Promise<LogEntry[]> =>
    (
      await rest()
        .get(`/engine-rest/history/job-log?processInstanceId=${instanceId}&sortBy=occurrence&sortOrder=asc`)
        .expect(200)
    ).body;
  const onlyJobOf = async (instanceId: string) => {
    const jobs = (await rest().get(`/engine-rest/job?processInstanceId=${instanceId}`).expect(200)).body;
    expect(jobs).toHaveLength(1);
    return jobs[0] as { id: string; retries: number; dueDate: string | null };
  };
  const historicIncidentsOf = async (instanceId: string): Promise<HistoricIncident[]> =>
    (await rest().get(`/engine-rest/history/incident?processInstanceId=${instanceId}`).expect(200)).body;
  const failThreeTimes = async (jobId: string) => {
    for (let run = 0; run < 3; run++) {
      const answer = await rest().post(`/engine-rest/job/${jobId}/execute`);
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
  };

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'job-log.bpmn', content: fixture('job-log.bpmn') }]).expect(200);
  });
  afterAll(async () => {
    for (const component of [...workers].reverse()) await component.stop();
    await stack.close();
  });

  describe('without workers', () => {
    it('logs an async job created, failed three times with its stack trace, then successful', async () => {
      const id = await startInstance(stack.app, 'logDecision');
      const job = await onlyJobOf(id);
      const [created] = await logOf(id);
      expect(created).toEqual({
        id: expect.any(String),
        timestamp: expect.any(String),
        removalTime: null,
        jobId: job.id,
        jobDueDate: null,
        jobRetries: 3,
        jobPriority: 0,
        jobExceptionMessage: null,
        failedActivityId: null,
        jobDefinitionId: expect.any(String),
        jobDefinitionType: 'async-continuation',
        jobDefinitionConfiguration: 'async-before',
        activityId: 'decide',
        executionId: expect.any(String),
        processInstanceId: id,
        processDefinitionId: expect.stringContaining('logDecision:'),
        processDefinitionKey: 'logDecision',
        deploymentId: expect.any(String),
        tenantId: null,
        hostname: expect.any(String),
        rootProcessInstanceId: id,
        sequenceCounter: expect.any(Number),
        creationLog: true,
        failureLog: false,
        successLog: false,
        deletionLog: false,
      });

      await failThreeTimes(job.id);

      const failures = (await logOf(id)).filter((entry) => entry.failureLog);
      expect(failures.map((entry) => entry.jobRetries)).toEqual([3, 2, 1]);
      for (const failure of failures) {
        expect(failure).toMatchObject({
          failedActivityId: 'decide',
          jobExceptionMessage: expect.stringContaining('approved'),
        });
      }
      const trace = await rest()
        .get(`/engine-rest/history/job-log/${failures[0]!.id}/stacktrace`)
        .expect(200);
      expect(trace.type).toBe('text/plain');
      expect(trace.text).toContain('approved');
      await rest().get(`/engine-rest/history/job-log/${created!.id}/stacktrace`).expect(204);
      const unknownTrace = await rest().get('/engine-rest/history/job-log/nope/stacktrace').expect(404);
      expect(unknownTrace.body.message).toBe(
        'No historic job log found with id nope: historicJobLog is null',
      );
      expect((await rest().get(`/engine-rest/history/job-log/${created!.id}`).expect(200)).body).toEqual(
        created,
      );
      const unknown = await rest().get('/engine-rest/history/job-log/nope').expect(404);
      expect(unknown.body).toEqual({
        type: 'InvalidRequestException',
        message: 'Historic job log with id nope does not exist',
        code: null,
      });

      // Out of retries: an open incident, in history too, naming the failure that raised it.
      const [incident] = (await rest().get(`/engine-rest/incident?processInstanceId=${id}`).expect(200)).body;
      expect(await historicIncidentsOf(id)).toEqual([
        {
          id: incident.id,
          processDefinitionKey: 'logDecision',
          processDefinitionId: incident.processDefinitionId,
          processInstanceId: id,
          executionId: incident.executionId,
          rootProcessInstanceId: id,
          createTime: incident.incidentTimestamp,
          endTime: null,
          removalTime: null,
          incidentType: 'failedJob',
          activityId: 'decide',
          failedActivityId: 'decide',
          causeIncidentId: incident.id,
          rootCauseIncidentId: incident.id,
          configuration: job.id,
          historyConfiguration: failures[2]!.id,
          incidentMessage: incident.incidentMessage,
          tenantId: null,
          jobDefinitionId: incident.jobDefinitionId,
          open: true,
          deleted: false,
          resolved: false,
          annotation: null,
        },
      ]);

      await rest()
        .put(`/engine-rest/process-instance/${id}/variables/approved`)
        .send({ value: true, type: 'Boolean' })
        .expect(204);
      await rest().put(`/engine-rest/job/${job.id}/retries`).send({ retries: 1 }).expect(204);

      const [resolved] = await historicIncidentsOf(id);
      expect(resolved).toMatchObject({
        open: false,
        resolved: true,
        deleted: false,
        endTime: expect.any(String),
      });
      const resolvedCount = await rest()
        .get(`/engine-rest/history/incident/count?processInstanceId=${id}&resolved=true`)
        .expect(200);
      expect(resolvedCount.body).toEqual({ count: 1 });

      await rest().post(`/engine-rest/job/${job.id}/execute`).expect(204);

      expect((await logOf(id)).map(kind)).toEqual(['created', 'failed', 'failed', 'failed', 'successful']);
      const newestFirst = await rest()
        .post('/engine-rest/history/job-log')
        .send({ jobId: job.id, sorting: [{ sortBy: 'occurrence', sortOrder: 'desc' }] })
        .expect(200);
      expect(kind(newestFirst.body[0])).toBe('successful');
      const successes = await rest()
        .post('/engine-rest/history/job-log/count')
        .send({ processInstanceId: id, successLog: true })
        .expect(200);
      expect(successes.body).toEqual({ count: 1 });
      const failedAt = await rest()
        .get(
          `/engine-rest/history/job-log/count?failedActivityIdIn=decide&processInstanceId=${id}&failureLog=true`,
        )
        .expect(200);
      expect(failedAt.body).toEqual({ count: 3 });
    });

    it('sets and clears an incident annotation, in history and the operation log', async () => {
      const id = await startInstance(stack.app, 'logDecision');
      await failThreeTimes((await onlyJobOf(id)).id);
      const [incident] = (await rest().get(`/engine-rest/incident?processInstanceId=${id}`).expect(200)).body;

      await rest()
        .put(`/engine-rest/incident/${incident.id}/annotation`)
        .send({ annotation: 'waiting for the approval service' })
        .expect(204);

      const annotated = await rest().get(`/engine-rest/incident/${incident.id}`).expect(200);
      expect(annotated.body.annotation).toBe('waiting for the approval service');
      expect((await historicIncidentsOf(id))[0]!.annotation).toBe('waiting for the approval service');

      await rest().delete(`/engine-rest/incident/${incident.id}/annotation`).expect(204);

      expect(
        (await rest().get(`/engine-rest/incident/${incident.id}`).expect(200)).body.annotation,
      ).toBeNull();
      expect((await historicIncidentsOf(id))[0]!.annotation).toBeNull();
      const log = await rest().get('/engine-rest/history/user-operation?entityType=Incident').expect(200);
      expect(
        log.body
          .filter((entry: { newValue: string }) => entry.newValue === incident.id)
          .map((entry: { operationType: string; property: string; category: string }) => [
            entry.operationType,
            entry.property,
            entry.category,
          ])
          .sort(),
      ).toEqual([
        ['ClearAnnotation', 'incidentId', 'Operator'],
        ['SetAnnotation', 'incidentId', 'Operator'],
      ]);
      const unknown = await rest()
        .put('/engine-rest/incident/nope/annotation')
        .send({ annotation: 'x' })
        .expect(400);
      expect(unknown.body).toMatchObject({ type: 'BadUserRequestException', message: 'incident is null' });
    });

    it('logs the deletion of an instance’s jobs and deletes their incidents', async () => {
      const id = await startInstance(stack.app, 'logDecision');
      await failThreeTimes((await onlyJobOf(id)).id);

      await rest().delete(`/engine-rest/process-instance/${id}`).expect(204);

      const log = await logOf(id);
      expect(log.map(kind)).toEqual(['created', 'failed', 'failed', 'failed', 'deleted']);
      // The job had failed: its later entries name the failed activity, as Camunda's do.
      expect(log[4]).toMatchObject({ jobRetries: 0, failedActivityId: 'decide', jobExceptionMessage: null });
      expect(await historicIncidentsOf(id)).toEqual([
        expect.objectContaining({ open: false, resolved: false, deleted: true, endTime: expect.any(String) }),
      ]);
      expect((await rest().get(`/engine-rest/incident?processInstanceId=${id}`).expect(200)).body).toEqual(
        [],
      );
    });

    it('logs a timer as Camunda’s timer job definition, created and successful', async () => {
      const id = await startInstance(stack.app, 'logTimer');
      const job = await onlyJobOf(id);

      await rest().post(`/engine-rest/job/${job.id}/execute`).expect(204);

      const log = await logOf(id);
      expect(log.map(kind)).toEqual(['created', 'successful']);
      expect(log[0]).toMatchObject({
        jobDefinitionType: 'timer-intermediate-transition',
        jobDefinitionConfiguration: 'DURATION: PT1H',
        jobDueDate: job.dueDate,
        activityId: 'wait',
      });
    });
  });

  describe('with workers', () => {
    let dueId: string;
    let dueDate: Date;
    beforeAll(async () => {
      // Dispatched at once; the worker must still wait for the due date set before it started.
      dueId = await startInstance(stack.app, 'logAsync');
      dueDate = new Date(Date.now() + 3_000);
      await rest()
        .put(`/engine-rest/job/${(await onlyJobOf(dueId)).id}/duedate`)
        .send({ duedate: formatDate(dueDate) })
        .expect(204);
      workers = await startWorker(stack.infrastructure, stack.services);
    });

    it('waits the repeat interval between attempts and raises the incident after the repeat count', async () => {
      const id = await startInstance(stack.app, 'repeatDecision');
      await waitUntil(async () => (await historicIncidentsOf(id)).length === 1, 20_000);

      const log = await logOf(id);
      expect(log.map(kind)).toEqual(['created', 'failed', 'failed']);
      expect(log.map((entry) => entry.jobRetries)).toEqual([2, 2, 1]);
      expect(millis(log[2]!.timestamp) - millis(log[1]!.timestamp)).toBeGreaterThanOrEqual(1_900);
      const job = await onlyJobOf(id);
      expect(job.retries).toBe(0);
    });

    it('follows a list of intervals, one per failure', async () => {
      const id = await startInstance(stack.app, 'listDecision');
      await waitUntil(async () => (await historicIncidentsOf(id)).length === 1, 20_000);

      const failures = (await logOf(id)).filter((entry) => entry.failureLog);
      expect(failures.map((entry) => entry.jobRetries)).toEqual([3, 2, 1]);
      const [first, second, third] = failures.map((entry) => millis(entry.timestamp));
      expect(second! - first!).toBeGreaterThanOrEqual(900);
      expect(third! - second!).toBeGreaterThanOrEqual(1_900);
    });

    it('runs an async job no earlier than the due date set through REST', async () => {
      await waitUntil(async () => JSON.stringify(await waitingIn(stack.app, dueId)) === '["work"]', 15_000);

      const success = (await logOf(dueId)).find((entry) => entry.successLog);
      expect(millis(success!.timestamp)).toBeGreaterThanOrEqual(dueDate.getTime() - 5);
    });
  });
});
