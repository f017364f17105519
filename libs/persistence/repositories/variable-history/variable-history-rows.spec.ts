import { parseBpmn, type ProcessModel } from '@libs/bpmn';
import {
  completeTask,
  removeVariables,
  setVariables,
  startInstance,
  variablesOf,
  type EngineContext,
  type EngineResult,
} from '@libs/engine';
import {
  changesVariables,
  DETAIL_COLUMNS,
  earlierVariableIds,
  VARIABLE_INSTANCE_COLUMNS,
  variableHistoryRows,
  type DetailContext,
  type StoredVariable,
  type VariableHistoryEntry,
} from './variable-history-rows';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://example.com">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve">
      <bpmn:extensionElements>
        <camunda:inputOutput>
          <camunda:inputParameter name="reviewer">ann</camunda:inputParameter>
        </camunda:inputOutput>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const NOW = new Date('2026-05-02T09:00:00.000Z');

const engine = (): EngineContext => {
  let id = 0;
  return { now: NOW, newId: () => `id-${(id += 1)}` };
};

const details = (): DetailContext => {
  let id = 0;
  let sequence = 0;
  return { newId: () => `detail-${(id += 1)}`, nextSequence: () => (sequence += 1) };
};

const named = (columns: readonly string[], rows: readonly unknown[][]) =>
  rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])));

const entry = (result: EngineResult): VariableHistoryEntry => ({
  state: result.state,
  effects: result.effects,
});

describe('variable history rows', () => {
  let model: ProcessModel;
  let started: EngineResult;

  beforeAll(async () => {
    const parsed = await parseBpmn(XML);
    if (!parsed.ok) throw new Error('fixture does not parse');
    model = parsed.processes[0]!;
    started = startInstance(
      model,
      { definitionId: 'order:1:a', tenantId: 't1', businessKey: null, variables: variablesOf({ amount: 5 }) },
      engine(),
    );
  });

  const variable = (name: string) => started.state.variables.find((v) => v.name === name)!;

  it('writes a start variable as created and initial, a task input as created and not initial', () => {
    const rows = variableHistoryRows([entry(started)], new Map(), details());

    expect(named(VARIABLE_INSTANCE_COLUMNS, rows.instances)).toEqual([
      {
        id: variable('amount').id,
        name: 'amount',
        type: 'Integer',
        text_value: null,
        number_value: 5,
        state: 'CREATED',
        create_time: NOW,
        revision: 1,
        process_instance_id: started.state.id,
        root_process_instance_id: started.state.id,
        tenant_id: 't1',
        activity_instance_id: started.state.id,
        execution_id: started.state.id,
      },
      expect.objectContaining({
        name: 'reviewer',
        type: 'String',
        text_value: 'ann',
        activity_instance_id: variable('reviewer').scopeId,
        execution_id: started.state.activityInstances.find((a) => a.id === variable('reviewer').scopeId)!
          .executionId,
      }),
    ]);
    expect(
      named(DETAIL_COLUMNS, rows.details).map((d) => [
        d.name,
        d.revision,
        d.is_initial,
        d.process_definition_id,
      ]),
    ).toEqual([
      ['amount', 0, 1, 'order:1:a'],
      ['reviewer', 0, 0, 'order:1:a'],
    ]);
    expect(rows.instanceUpdates.flat()).toEqual([]);
  });

  it('numbers the updates of an earlier variable by its stored revision and moves the row along', () => {
    const amount = variable('amount');
    const updated = setVariables(model, started.state, { variables: variablesOf({ amount: 7 }) }, engine());
    const stored = new Map<string, StoredVariable>([[amount.id, { revision: 1, type: 'Integer' }]]);

    expect(earlierVariableIds([entry(updated)])).toEqual([amount.id]);
    const rows = variableHistoryRows([entry(updated)], stored, details());

    expect(rows.instances).toEqual([]);
    expect(rows.instanceUpdates[0]).toEqual([
      { id: amount.id, values: { type: 'Integer', text_value: null, number_value: 7, revision: 2 } },
    ]);
    expect(named(DETAIL_COLUMNS, rows.details)).toEqual([
      expect.objectContaining({
        variable_instance_id: amount.id,
        number_value: 7,
        revision: 1,
        is_initial: 0,
      }),
    ]);
  });

  it('marks a deleted variable DELETED and writes a detail without value, typed as it was', () => {
    const amount = variable('amount');
    const removed = removeVariables(model, started.state, { names: ['amount'] }, engine());
    const stored = new Map<string, StoredVariable>([[amount.id, { revision: 3, type: 'Integer' }]]);

    const rows = variableHistoryRows([entry(removed)], stored, details());

    expect(rows.instanceUpdates[1]).toEqual([{ id: amount.id, values: { state: 'DELETED', revision: 4 } }]);
    expect(named(DETAIL_COLUMNS, rows.details)).toEqual([
      expect.objectContaining({ type: 'Integer', text_value: null, number_value: null, revision: 3 }),
    ]);
  });

  it('keeps revision 0 for every change of a variable within the operation that created it', () => {
    const updated = setVariables(model, started.state, { variables: variablesOf({ note: 'a' }) }, engine());
    const again = setVariables(model, updated.state, { variables: variablesOf({ note: 'b' }) }, engine());
    const both: VariableHistoryEntry = {
      state: again.state,
      effects: [...updated.effects, ...again.effects],
    };

    const rows = variableHistoryRows([both], new Map(), details());

    expect(named(VARIABLE_INSTANCE_COLUMNS, rows.instances)).toEqual([
      expect.objectContaining({ name: 'note', text_value: 'b', revision: 1, state: 'CREATED' }),
    ]);
    expect(named(DETAIL_COLUMNS, rows.details).map((d) => [d.text_value, d.revision])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('counts one revision per operation across the entries of one call', () => {
    const first = setVariables(model, started.state, { variables: variablesOf({ note: 'a' }) }, engine());
    const second = setVariables(model, first.state, { variables: variablesOf({ note: 'b' }) }, engine());

    const rows = variableHistoryRows([entry(first), entry(second)], new Map(), details());

    expect(named(DETAIL_COLUMNS, rows.details).map((d) => d.revision)).toEqual([0, 1]);
    expect(named(VARIABLE_INSTANCE_COLUMNS, rows.instances)[0]).toMatchObject({ revision: 2 });
  });

  it('writes nothing for an operation without variable changes, and leaves ended scopes’ variables alone', () => {
    const task = started.state.tasks[0]!;
    const completed = completeTask(model, started.state, { taskId: task.id }, engine());

    expect(changesVariables([entry(completed)])).toBe(false);
    expect(variableHistoryRows([entry(completed)], new Map(), details())).toEqual({
      instances: [],
      instanceUpdates: [[], []],
      details: [],
    });
  });
});
