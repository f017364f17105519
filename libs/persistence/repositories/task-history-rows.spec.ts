import { parseBpmn, type ProcessModel } from '@libs/bpmn';
import {
  cancelInstance,
  claimTask,
  completeTask,
  startInstance,
  type EngineContext,
  type EngineResult,
} from '@libs/engine';
import { TASK_COLUMNS, taskHistoryRows } from './task-history-rows';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.com">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve order" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const context = (): EngineContext => {
  let id = 0;
  return { now: new Date('2024-05-02T09:00:00.000Z'), newId: () => `id-${(id += 1)}` };
};

const named = (rows: unknown[][]) =>
  rows.map((row) => Object.fromEntries(TASK_COLUMNS.map((column, i) => [column, row[i]])));

describe('task history rows', () => {
  let model: ProcessModel;
  let started: EngineResult;
  const entry = (result: EngineResult) => ({ model, state: result.state, effects: result.effects });

  beforeAll(async () => {
    const parsed = await parseBpmn(XML);
    if (!parsed.ok) throw new Error('fixture does not parse');
    model = parsed.processes[0]!;
    started = startInstance(
      model,
      { definitionId: 'order:1:a', tenantId: 't1', businessKey: null, variables: {} },
      context(),
    );
  });

  it('writes a created task with its details, Created and open', () => {
    const rows = taskHistoryRows([entry(started)]);
    const task = started.state.tasks[0]!;
    expect(named(rows.created)).toEqual([
      expect.objectContaining({
        id: task.id,
        process_instance_id: started.state.id,
        task_definition_key: 'approve',
        name: 'Approve order',
        priority: 50,
        tenant_id: 't1',
        end_time: null,
        delete_reason: null,
        state: 'Created',
      }),
    ]);
    expect(rows.updates.flat()).toEqual([]);
  });

  it('updates the assignee (Updated) and ends a completed task (Completed) or a cancelled one (Deleted)', () => {
    const taskId = started.state.tasks[0]!.id;
    const claimed = claimTask(model, started.state, { taskId, userId: 'mary' }, context());
    const completed = completeTask(model, claimed.state, { taskId }, context());
    const cancelled = cancelInstance(model, started.state, { deleteReason: 'test' }, context());

    expect(taskHistoryRows([entry(claimed)]).updates.flat()).toEqual([
      { id: taskId, values: { assignee: 'mary', state: 'Updated' } },
    ]);
    expect(taskHistoryRows([entry(completed)]).updates.flat()).toEqual([
      { id: taskId, values: expect.objectContaining({ delete_reason: 'completed', state: 'Completed' }) },
    ]);
    expect(taskHistoryRows([entry(cancelled)]).updates.flat()).toEqual([
      { id: taskId, values: expect.objectContaining({ delete_reason: 'deleted', state: 'Deleted' }) },
    ]);
  });

  it('writes a task created and changed in the same call once, with its latest values', () => {
    const taskId = started.state.tasks[0]!.id;
    const claimed = claimTask(model, started.state, { taskId, userId: 'mary' }, context());
    const rows = taskHistoryRows([entry(started), entry(claimed)]);
    expect(named(rows.created)).toEqual([
      expect.objectContaining({ id: taskId, assignee: 'mary', state: 'Updated' }),
    ]);
    expect(rows.updates.flat()).toEqual([]);
  });
});
