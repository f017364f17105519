import { parseBpmn, type ProcessModel } from '@libs/bpmn';
import { completeTask, startInstance, type EngineContext, type EngineResult } from '@libs/engine';
import { ACTIVITY_COLUMNS, historyRows, PROCESS_INSTANCE_COLUMNS, type HistoryEntry } from './history-rows';

const xml = (names: { approve: string }) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.com">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start" name="Order received" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve" name="${names.approve}" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function model(approve: string): Promise<ProcessModel> {
  const parsed = await parseBpmn(xml({ approve }));
  if (!parsed.ok) throw new Error('fixture does not parse');
  return parsed.processes[0]!;
}

const context = (): EngineContext => {
  let id = 0;
  return { now: new Date('2024-05-02T09:00:00.000Z'), newId: () => String((id += 1)) };
};

/** The rows of one table as objects keyed by column. */
const named = (columns: readonly string[], rows: unknown[][]) =>
  rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])));

const sequence = () => {
  let n = 0;
  return () => (n += 1);
};

describe('history rows', () => {
  let approveModel: ProcessModel;
  let started: EngineResult;
  const entry = (result: EngineResult, m: ProcessModel = approveModel): HistoryEntry => ({
    model: m,
    state: result.state,
    effects: result.effects,
  });

  beforeAll(async () => {
    approveModel = await model('Approve order');
    started = startInstance(
      approveModel,
      { definitionId: 'order:1:a', tenantId: null, businessKey: 'b-1', variables: {} },
      context(),
    );
  });

  it('writes a started instance and its activities, a passed-through activity as one complete row', () => {
    const rows = historyRows([entry(started)], sequence());
    expect(named(PROCESS_INSTANCE_COLUMNS, rows.processInstances)).toEqual([
      expect.objectContaining({ business_key: 'b-1', state: 'ACTIVE', start_activity_id: 'start' }),
    ]);
    const activities = named(ACTIVITY_COLUMNS, rows.activityInstances);
    expect(activities.map((row) => [row.activity_id, row.activity_name, row.end_reason])).toEqual([
      ['start', 'Order received', 'completed'],
      ['approve', 'Approve order', null],
    ]);
    expect(activities.map((row) => row.sequence_counter)).toEqual([1, 2]);
    expect(activities[1]!.task_id).toEqual(started.state.tasks[0]!.id);
    expect(rows.activityInstanceUpdates.flat()).toEqual([]);
  });

  it('ends earlier rows by update: the task activity and the instance', () => {
    const task = started.state.tasks[0]!;
    const completed = completeTask(approveModel, started.state, { taskId: task.id }, context());
    const rows = historyRows([entry(completed)], sequence());
    expect(rows.processInstances).toEqual([]);
    expect(rows.activityInstanceUpdates.flat()).toEqual([
      { id: task.activityInstanceId, values: expect.objectContaining({ end_reason: 'completed' }) },
    ]);
    expect(rows.processInstanceUpdates.flat()).toEqual([
      { id: started.state.id, values: expect.objectContaining({ state: 'COMPLETED' }) },
    ]);
    // The end event passed through: one complete row, a scope-completing one.
    expect(named(ACTIVITY_COLUMNS, rows.activityInstances)).toEqual([
      expect.objectContaining({ activity_id: 'end', end_reason: 'completed', complete_scope: 1 }),
    ]);
  });

  it('names a migrated activity by the model it is described with (the target)', async () => {
    const target = await model('Approve the order');
    const task = started.state.tasks[0]!;
    const migrated: EngineResult = {
      state: { ...started.state, definitionId: 'order:2:b' },
      effects: [
        {
          type: 'processMigrated',
          processInstanceId: started.state.id,
          sourceDefinitionId: 'order:1:a',
          time: new Date('2024-05-03T09:00:00.000Z'),
          definitionId: 'order:2:b',
          definitionKey: 'order',
        },
        {
          type: 'activityMigrated',
          activityInstanceId: task.activityInstanceId,
          sourceActivityId: 'approve',
          activityId: 'approve',
          activityType: 'userTask',
          time: new Date('2024-05-03T09:00:00.000Z'),
          parentActivityInstanceId: started.state.id,
          sourceParentActivityInstanceId: started.state.id,
        },
      ],
    };
    const rows = historyRows([entry(migrated, target)], sequence());
    expect(rows.activityInstanceUpdates.flat()).toEqual([
      {
        id: task.activityInstanceId,
        values: expect.objectContaining({ activity_name: 'Approve the order', definition_id: 'order:2:b' }),
      },
    ]);
    expect(rows.processInstanceUpdates.flat()).toEqual([
      { id: started.state.id, values: { definition_id: 'order:2:b', definition_key: 'order' } },
    ]);
  });
});
