import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCondition, parseBpmn, type FlowNode, type FlowNodeKind, type ProcessModel } from './index';

const readFixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

async function modelOf(fixture: string): Promise<ProcessModel> {
  const result = await parseBpmn(readFixture(fixture));
  if (!result.ok) throw new Error(`expected ${fixture} to parse: ${JSON.stringify(result.errors)}`);
  // Extensions accepted but not acted upon are warned about (see extension-warnings.spec.ts); nothing else.
  expect(result.warnings.filter((warning) => !/ is ignored: /.test(warning.message))).toEqual([]);
  expect(result.processes).toHaveLength(1);
  return result.processes[0]!;
}

function nodeOf<K extends FlowNodeKind>(
  model: ProcessModel,
  id: string,
  kind: K,
): Extract<FlowNode, { kind: K }> {
  const node = model.nodes.get(id);
  expect(node?.kind).toBe(kind);
  return node as Extract<FlowNode, { kind: K }>;
}

describe('parseBpmn on supported processes', () => {
  it('reads a user task with its camunda assignment attributes', async () => {
    const model = await modelOf('user-task.bpmn');

    expect(model.nodes.get('approve')).toEqual({
      kind: 'userTask',
      id: 'approve',
      isForCompensation: false,
      name: 'Approve request',
      scopeId: 'approval',
      incoming: ['toApprove'],
      outgoing: ['toEnd'],
      asyncBefore: false,
      asyncAfter: false,
      exclusive: true,
      jobPriority: null,
      line: 8,
      ioMapping: null,
      assignee: '${initiator}',
      candidateGroups: ['sales', 'managers'],
      candidateUsers: ['anna', 'bob'],
      dueDate: 'P2D',
      followUpDate: 'P1D',
      priority: '60',
    });
  });

  it('reads the process attributes and its single start event', async () => {
    const model = await modelOf('user-task.bpmn');

    expect(model).toMatchObject({
      id: 'approval',
      name: 'Approval',
      versionTag: '1.2.0',
      historyTimeToLive: 180,
      startEventId: 'start',
    });
    expect(nodeOf(model, 'start', 'startEvent')).toMatchObject({
      name: 'Request received',
      outgoing: ['toApprove'],
    });
    expect(nodeOf(model, 'end', 'endEvent')).toMatchObject({
      result: { type: 'none' },
      asyncAfter: false,
      line: 12,
    });
  });

  it('links every sequence flow to its source and target', async () => {
    const model = await modelOf('user-task.bpmn');

    expect([...model.flows.values()]).toEqual([
      { id: 'toApprove', name: null, sourceId: 'start', targetId: 'approve', condition: null, line: 7 },
      { id: 'toEnd', name: 'done', sourceId: 'approve', targetId: 'end', condition: null, line: 11 },
    ]);
    expect(model.childrenOfScope).toEqual(new Map([['approval', ['start', 'approve', 'end']]]));
    expect(model.boundaryEventsOf.size).toBe(0);
  });

  it('returns models that cannot be changed', async () => {
    const model = await modelOf('user-task.bpmn');
    const task = nodeOf(model, 'approve', 'userTask');

    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(task)).toBe(true);
    expect(() => (task.candidateGroups as string[]).push('hackers')).toThrow(TypeError);
    expect(() => (task.incoming as string[]).pop()).toThrow(TypeError);
  });

  it('reads the message name a receive task waits for', async () => {
    const model = await modelOf('receive-task.bpmn');

    expect(nodeOf(model, 'waitForPayment', 'receiveTask')).toMatchObject({
      name: 'Wait for payment',
      messageName: 'PaymentReceived',
      line: 9,
    });
  });

  it('turns tasks with camunda:type external into external tasks with their topic', async () => {
    const model = await modelOf('tasks.bpmn');

    expect(nodeOf(model, 'charge', 'externalTask')).toMatchObject({
      elementType: 'serviceTask',
      topic: 'charge-card',
      priority: '7',
    });
    expect(nodeOf(model, 'decide', 'externalTask')).toMatchObject({
      elementType: 'businessRuleTask',
      topic: 'decide',
      priority: null,
    });
  });

  it('passes other tasks through, keeping the element type they came from', async () => {
    const model = await modelOf('tasks.bpmn');

    const passThrough = ['log', 'notify', 'compute', 'file', 'noop'].map(
      (id) => nodeOf(model, id, 'task').elementType,
    );
    expect(passThrough).toEqual(['serviceTask', 'sendTask', 'scriptTask', 'manualTask', 'task']);
  });

  it('nests sub-processes to any depth, each a scope with its own start event', async () => {
    const model = await modelOf('nested-sub-processes.bpmn');

    expect(nodeOf(model, 'outer', 'subProcess')).toMatchObject({
      scopeId: 'nested',
      startEventId: 'outerStart',
      asyncBefore: false,
      incoming: ['toOuter'],
      outgoing: ['toEnd'],
    });
    expect(nodeOf(model, 'inner', 'subProcess')).toMatchObject({
      scopeId: 'outer',
      startEventId: 'innerStart',
    });
    expect(nodeOf(model, 'work', 'userTask')).toMatchObject({ scopeId: 'inner', line: 14 });
    expect(model.childrenOfScope).toEqual(
      new Map([
        ['nested', ['start', 'outer', 'end']],
        ['outer', ['outerStart', 'inner', 'outerEnd']],
        ['inner', ['innerStart', 'work', 'innerEnd']],
      ]),
    );
    expect([...model.nodes.keys()]).toEqual([
      'start',
      'outer',
      'outerStart',
      'inner',
      'innerStart',
      'work',
      'innerEnd',
      'outerEnd',
      'end',
    ]);
  });

  it('compiles the conditions of an exclusive gateway and keeps its default flow', async () => {
    const model = await modelOf('exclusive-gateway.bpmn');
    const variables = (values: Record<string, unknown>) => (name: string) => values[name];

    expect(nodeOf(model, 'amountCheck', 'exclusiveGateway')).toMatchObject({
      defaultFlowId: 'standard',
      outgoing: ['large', 'gold', 'standard'],
    });
    const large = model.flows.get('large')!.condition!;
    const gold = model.flows.get('gold')!.condition!;
    expect(large.source).toBe('${amount > 1000}');
    expect(gold.source).toBe("${status == 'gold' && amount < 5000}");
    expect(evaluateCondition(large, variables({ amount: 2000 }))).toBe(true);
    expect(evaluateCondition(gold, variables({ status: 'gold', amount: 6000 }))).toBe(false);
    expect(model.flows.get('standard')!.condition).toBeNull();
  });

  it('reads a parallel fork and join', async () => {
    const model = await modelOf('parallel-gateway.bpmn');

    expect(nodeOf(model, 'split', 'parallelGateway').outgoing).toEqual(['toA', 'toB']);
    expect(nodeOf(model, 'join', 'parallelGateway')).toMatchObject({
      incoming: ['fromA', 'fromB'],
      outgoing: ['toEnd'],
      asyncAfter: false,
    });
  });

  it('reads an inclusive gateway with conditions and a default flow', async () => {
    const model = await modelOf('inclusive-gateway.bpmn');

    expect(nodeOf(model, 'split', 'inclusiveGateway')).toMatchObject({
      defaultFlowId: 'nothing',
      outgoing: ['wantsInsurance', 'wantsGift', 'nothing'],
    });
    expect(nodeOf(model, 'join', 'inclusiveGateway')).toMatchObject({
      defaultFlowId: null,
      incoming: ['nothing', 'fromInsurance', 'fromGift'],
    });
    expect(model.flows.get('wantsGift')!.condition!.source).toBe('${gift eq true}');
  });

  it('reads timer, message and signal intermediate catch events', async () => {
    const model = await modelOf('catch-events.bpmn');
    const triggerOf = (id: string) => nodeOf(model, id, 'intermediateCatchEvent').trigger;

    expect(triggerOf('wait')).toEqual({ type: 'timer', timer: { kind: 'duration', value: 'PT1H' } });
    expect(triggerOf('approved')).toEqual({ type: 'message', messageName: 'OrderApproved' });
    expect(triggerOf('stopped')).toEqual({ type: 'signal', signalName: 'StopAll' });
    expect(triggerOf('newYear')).toEqual({
      type: 'timer',
      timer: { kind: 'date', value: '2030-01-01T00:00:00Z' },
    });
    expect(triggerOf('daily')).toEqual({ type: 'timer', timer: { kind: 'cycle', value: '${cycle}' } });
    expect(nodeOf(model, 'wait', 'intermediateCatchEvent')).toMatchObject({
      name: 'One hour',
      asyncBefore: false,
    });
  });

  it('attaches interrupting and non-interrupting boundary events to a task', async () => {
    const model = await modelOf('boundary-events.bpmn');

    expect(model.boundaryEventsOf.get('work')).toEqual(['deadline', 'reminder', 'halt']);
    expect(nodeOf(model, 'deadline', 'boundaryEvent')).toMatchObject({
      attachedToId: 'work',
      interrupting: true,
      scopeId: 'guarded',
      incoming: [],
      outgoing: ['fromDeadline'],
      trigger: { type: 'timer', timer: { kind: 'duration', value: 'P1D' } },
    });
    expect(nodeOf(model, 'reminder', 'boundaryEvent')).toMatchObject({
      interrupting: false,
      trigger: { type: 'message', messageName: 'Reminder' },
    });
    expect(nodeOf(model, 'halt', 'boundaryEvent').trigger).toEqual({ type: 'signal', signalName: 'Halt' });
  });

  it('attaches boundary events to a sub-process and lists them among the scope children', async () => {
    const model = await modelOf('boundary-events.bpmn');

    expect(model.boundaryEventsOf.get('handling')).toEqual(['cancelled', 'slow']);
    expect(nodeOf(model, 'cancelled', 'boundaryEvent')).toMatchObject({
      interrupting: true,
      trigger: { type: 'message', messageName: 'Cancel' },
    });
    expect(nodeOf(model, 'slow', 'boundaryEvent')).toMatchObject({
      interrupting: false,
      trigger: { type: 'timer', timer: { kind: 'cycle', value: 'R3/PT1H' } },
    });
    expect(model.childrenOfScope.get('guarded')).toEqual([
      'start',
      'work',
      'deadline',
      'reminder',
      'halt',
      'handling',
      'cancelled',
      'slow',
      'end',
    ]);
  });

  it('accepts elements without an id as Camunda does, giving them ids it warns about', async () => {
    const result = await parseBpmn(readFixture('missing-id.bpmn'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));

    expect(result.warnings.map((warning) => [warning.line, warning.column, warning.message])).toEqual([
      [6, 5, "Element <userTask> named 'First' has no id; it is given the id 'userTask_1'"],
      [9, 7, "Element <userTask> named 'Nested' has no id; it is given the id 'userTask_2'"],
      [11, 5, "Element <userTask> named 'Second' has no id; it is given the id 'userTask_3'"],
      [12, 5, "Element <sequenceFlow> has no id; it is given the id 'flow_start_sub'"],
    ]);
    const [model] = result.processes;
    expect(model?.flows.get('flow_start_sub')).toMatchObject({ sourceId: 'start', targetId: 'sub' });
    expect(model?.nodes.get('start')?.outgoing).toEqual(['flow_start_sub']);
    expect(model?.childrenOfScope.get('sub')).toEqual(['subStart', 'userTask_2']);
  });

  it('keeps a generated id clear of the ids the document uses', async () => {
    const result = await parseBpmn(`<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p" isExecutable="true">
    <startEvent id="s" />
    <sequenceFlow sourceRef="s" targetRef="e" />
    <sequenceFlow id="flow_s_e" sourceRef="s" targetRef="e" />
    <endEvent id="e" />
  </process>
</definitions>`);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));

    expect(result.processes[0]?.nodes.get('s')?.outgoing).toEqual(['flow_s_e_2', 'flow_s_e']);
  });

  it('marks a terminate end event', async () => {
    const model = await modelOf('terminate-end.bpmn');

    expect(nodeOf(model, 'terminate', 'endEvent').result).toEqual({ type: 'terminate' });
    expect(nodeOf(model, 'end', 'endEvent').result).toEqual({ type: 'none' });
  });

  it('ignores collaborations, lanes, data objects, documentation, annotations and diagrams', async () => {
    const model = await modelOf('tolerated-extras.bpmn');

    expect(model.id).toBe('shop');
    expect([...model.nodes.keys()]).toEqual(['start', 'pack', 'end']);
    expect([...model.flows.keys()]).toEqual(['toPack', 'toEnd']);
  });

  it('builds one model per executable process and skips the others', async () => {
    const xml = `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
      <process id="first" isExecutable="true"><startEvent id="a" /></process>
      <process id="draft" isExecutable="false"><startEvent id="b" /></process>
      <process id="second" isExecutable="true"><startEvent id="c" /></process>
    </definitions>`;

    const result = await parseBpmn(xml);

    expect(result.ok && result.processes.map((process) => [process.id, process.startEventId])).toEqual([
      ['first', 'a'],
      ['second', 'c'],
    ]);
  });

  it('reads camunda:async as asyncBefore and a history time to live given as a period of days', async () => {
    const xml = `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
        xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
      <process id="legacy" isExecutable="true" camunda:historyTimeToLive="P30D">
        <startEvent id="start" camunda:async="true" />
      </process>
    </definitions>`;

    const result = await parseBpmn(xml);

    expect(result.ok).toBe(true);
    const model = result.ok ? result.processes[0]! : null;
    expect(model?.historyTimeToLive).toBe(30);
    expect(model?.nodes.get('start')?.asyncBefore).toBe(true);
  });

  it('reads asyncBefore, asyncAfter and exclusive (true unless camunda:exclusive="false")', async () => {
    const xml = `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
        xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
      <process id="async" isExecutable="true">
        <startEvent id="start" />
        <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
        <task id="work" camunda:asyncBefore="true" camunda:asyncAfter="true" camunda:exclusive="false" />
        <sequenceFlow id="f2" sourceRef="work" targetRef="end" />
        <endEvent id="end" camunda:asyncBefore="true" />
      </process>
    </definitions>`;

    const result = await parseBpmn(xml);

    expect(result.ok).toBe(true);
    const model = result.ok ? result.processes[0]! : null;
    expect(model?.nodes.get('work')).toMatchObject({ asyncBefore: true, asyncAfter: true, exclusive: false });
    expect(model?.nodes.get('end')).toMatchObject({ asyncBefore: true, asyncAfter: false, exclusive: true });
    expect(model?.nodes.get('start')).toMatchObject({ asyncBefore: false, asyncAfter: false });
  });

  const retrying = (cycle: string) => `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
        xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
      <process id="retrying" isExecutable="true">
        <startEvent id="start" />
        <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
        <task id="work" camunda:asyncBefore="true">
          <extensionElements>
            <camunda:failedJobRetryTimeCycle>${cycle}</camunda:failedJobRetryTimeCycle>
          </extensionElements>
        </task>
      </process>
    </definitions>`;

  it("reads camunda:failedJobRetryTimeCycle as the retries and waits of the element's jobs", async () => {
    const result = await parseBpmn(retrying('R3/PT5M'));

    expect(result.ok && result.warnings).toEqual([]);
    const model = result.ok ? result.processes[0]! : null;
    expect(model?.nodes.get('work')?.retryCycle).toMatchObject({ retries: 3, intervals: [{ minutes: 5 }] });
    expect(model?.nodes.get('start')?.retryCycle).toBeUndefined();
  });

  it('refuses a retry cycle it cannot read, saying why', async () => {
    const result = await parseBpmn(retrying('PT1M,soon'));

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      expect.objectContaining({
        mainBpmnElementId: 'work',
        message: expect.stringContaining(
          "Invalid camunda:failedJobRetryTimeCycle of <task> 'work': 'soon' is neither a repeat",
        ),
      }),
    ]);
  });

  it('warns that a retry cycle expression is not evaluated, and deploys the element', async () => {
    const result = await parseBpmn(retrying('${cycle}'));

    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        mainBpmnElementId: 'work',
        message: expect.stringContaining('expressions are not evaluated in retry cycles'),
      }),
    ]);
  });
  it('only warns about unresolved references that the process model does not use', async () => {
    const xml = `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
      <process id="p" isExecutable="true">
        <laneSet id="lanes"><lane id="lane"><flowNodeRef>ghost</flowNodeRef></lane></laneSet>
        <startEvent id="start" />
        <association id="link" sourceRef="start" targetRef="missingNote" />
      </process>
    </definitions>`;

    const result = await parseBpmn(xml);

    expect(result.ok).toBe(true);
    expect(result.warnings.map((warning) => [warning.mainBpmnElementId, warning.message])).toEqual([
      ['lane', 'unresolved reference <ghost>'],
      ['link', 'unresolved reference <missingNote>'],
    ]);
  });
});
