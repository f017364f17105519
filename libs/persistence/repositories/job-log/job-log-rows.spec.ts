import { parseBpmn, type ProcessModel } from '@libs/bpmn';
import {
  cancelInstance,
  executeAsyncJob,
  fireTimer,
  startInstance,
  type EngineContext,
  type EngineResult,
} from '@libs/engine';
import { JOB_LOG_COLUMNS, jobLogRows, type JobLogChange, type JobLogContext } from './job-log-rows';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://example.com">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:task id="check" camunda:asyncAfter="true">
      <bpmn:extensionElements>
        <camunda:failedJobRetryTimeCycle>R5/PT1M</camunda:failedJobRetryTimeCycle>
      </bpmn:extensionElements>
    </bpmn:task>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="approve" />
    <bpmn:userTask id="approve" />
    <bpmn:boundaryEvent id="late" attachedToRef="approve">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const NOW = new Date('2026-05-02T09:00:00.000Z');

const engine = (): EngineContext => {
  let id = 0;
  return { now: NOW, newId: () => `id-${(id += 1)}` };
};

const logContext = (): JobLogContext => {
  let id = 0;
  let sequence = 0;
  return {
    now: NOW,
    hostname: 'host-1',
    newId: () => `log-${(id += 1)}`,
    nextSequence: () => (sequence += 1),
  };
};

const named = (rows: unknown[][]) =>
  rows.map((row) => Object.fromEntries(JOB_LOG_COLUMNS.map((column, i) => [column, row[i]])));

describe('job log rows', () => {
  let model: ProcessModel;
  let started: EngineResult;
  const change = (before: EngineResult | null, after: EngineResult): JobLogChange => ({
    model,
    before: before?.state ?? null,
    after: after.state,
    effects: after.effects,
  });

  beforeAll(async () => {
    const parsed = await parseBpmn(XML);
    if (!parsed.ok) throw new Error('fixture does not parse');
    model = parsed.processes[0]!;
    started = startInstance(
      model,
      { definitionId: 'order:1:a', tenantId: 't1', businessKey: null, variables: {} },
      engine(),
    );
  });

  it('logs a created asynchronous continuation with its job definition and its retry cycle’s count', () => {
    const [created] = named(jobLogRows([change(null, started)], logContext()));

    expect(created).toEqual({
      id: 'log-1',
      timestamp: NOW,
      job_id: started.state.asyncJobs[0]!.id,
      job_due_date: null,
      job_retries: 5,
      job_priority: 0,
      job_exception_message: null,
      job_exception_stack_trace: null,
      failed_activity_id: null,
      job_definition_id: started.state.asyncJobs[0]!.jobDefinitionId,
      job_definition_type: 'async-continuation',
      job_definition_configuration: 'async-after',
      activity_id: 'check',
      execution_id: started.state.asyncJobs[0]!.executionId,
      process_instance_id: started.state.id,
      process_definition_id: 'order:1:a',
      process_definition_key: 'order',
      tenant_id: 't1',
      hostname: 'host-1',
      sequence_counter: 1,
      state: 0,
    });
  });

  it('logs the run job as successful and the boundary timer it arms as created', () => {
    const ran = executeAsyncJob(model, started.state, { jobId: started.state.asyncJobs[0]!.id }, engine());

    const rows = named(jobLogRows([change(started, ran)], logContext()));

    expect(rows.map((row) => [row.job_definition_type, row.job_definition_configuration, row.state])).toEqual(
      [
        ['timer-transition', 'DURATION: PT5M', 0],
        ['async-continuation', 'async-after', 2],
      ],
    );
  });

  it('logs a fired timer as successful and jobs of a cancelled instance as deleted', () => {
    const ran = executeAsyncJob(model, started.state, { jobId: started.state.asyncJobs[0]!.id }, engine());
    const fired = fireTimer(model, ran.state, { jobId: ran.state.jobs[0]!.id }, engine());
    const cancelled = cancelInstance(model, ran.state, { deleteReason: 'gone' }, engine());

    expect(named(jobLogRows([change(ran, fired)], logContext())).map((row) => row.state)).toEqual([2]);
    expect(named(jobLogRows([change(ran, cancelled)], logContext())).map((row) => row.state)).toEqual([3]);
  });
});
