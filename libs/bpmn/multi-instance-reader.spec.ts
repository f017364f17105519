import { parseBpmn, type ProcessModel } from './index';

const definitions = (activity: string) => `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
  <process id="p" isExecutable="true">
    <startEvent id="s" />
    <sequenceFlow id="f1" sourceRef="s" targetRef="work" />
    ${activity}
    <sequenceFlow id="f2" sourceRef="work" targetRef="e" />
    <boundaryEvent id="late" attachedToRef="work"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
    <endEvent id="e" />
  </process>
</definitions>`;

async function modelOf(xml: string): Promise<ProcessModel> {
  const result = await parseBpmn(xml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const [model] = result.processes;
  if (model === undefined) throw new Error('no process');
  return model;
}

async function errorsOf(xml: string): Promise<string[]> {
  const result = await parseBpmn(xml);
  return result.ok ? [] : result.errors.map((error) => error.message);
}

describe('multiInstanceLoopCharacteristics', () => {
  it('wraps the activity in a body that takes its place in the flow, its boundary events and its async attributes', async () => {
    const model = await modelOf(
      definitions(`<userTask id="work" camunda:asyncBefore="true" camunda:exclusive="false">
        <extensionElements><camunda:failedJobRetryTimeCycle>R2/PT1M</camunda:failedJobRetryTimeCycle></extensionElements>
        <multiInstanceLoopCharacteristics isSequential="true" camunda:asyncAfter="true" camunda:collection="items" camunda:elementVariable="item">
          <extensionElements><camunda:failedJobRetryTimeCycle>R5/PT5M</camunda:failedJobRetryTimeCycle></extensionElements>
          <completionCondition>\${done}</completionCondition>
        </multiInstanceLoopCharacteristics>
      </userTask>`),
    );
    expect(model.childrenOfScope.get('p')).toEqual(['s', 'work#multiInstanceBody', 'late', 'e']);
    expect(model.childrenOfScope.get('work#multiInstanceBody')).toEqual(['work']);
    expect(model.nodes.get('work#multiInstanceBody')).toMatchObject({
      kind: 'multiInstanceBody',
      scopeId: 'p',
      incoming: ['f1'],
      outgoing: ['f2'],
      asyncBefore: true,
      asyncAfter: false,
      exclusive: false,
      retryCycle: { retries: 2 },
      innerActivityId: 'work',
      sequential: true,
      loopCardinality: null,
      collection: { kind: 'variable', name: 'items' },
      elementVariable: 'item',
      completionCondition: { source: '${done}' },
    });
    expect(model.nodes.get('work')).toMatchObject({
      kind: 'userTask',
      scopeId: 'work#multiInstanceBody',
      incoming: [],
      outgoing: [],
      asyncBefore: false,
      asyncAfter: true,
      exclusive: true,
      retryCycle: { retries: 5 },
    });
    expect(model.flows.get('f1')?.targetId).toBe('work#multiInstanceBody');
    expect(model.flows.get('f2')?.sourceId).toBe('work#multiInstanceBody');
    expect(model.boundaryEventsOf.get('work#multiInstanceBody')).toEqual(['late']);
    expect(model.nodes.get('late')).toMatchObject({ attachedToId: 'work#multiInstanceBody' });
  });

  it('reads a collection expression and a loop cardinality', async () => {
    const model = await modelOf(
      definitions(`<subProcess id="work">
        <multiInstanceLoopCharacteristics camunda:collection="\${order.items}"><loopCardinality>\${n}</loopCardinality></multiInstanceLoopCharacteristics>
        <startEvent id="in" /><sequenceFlow id="i1" sourceRef="in" targetRef="out" /><endEvent id="out" />
      </subProcess>`),
    );
    expect(model.nodes.get('work#multiInstanceBody')).toMatchObject({
      sequential: false,
      collection: { kind: 'expression', expression: { source: '${order.items}' } },
      loopCardinality: { source: '${n}' },
    });
    expect(model.nodes.get('in')?.scopeId).toBe('work');
    expect([...model.nodes.keys()]).toEqual([
      's',
      'work#multiInstanceBody',
      'work',
      'in',
      'out',
      'late',
      'e',
    ]);
  });

  it('refuses loop characteristics without a count, and an element variable without a collection, as Camunda does', async () => {
    expect(
      await errorsOf(
        definitions(
          '<userTask id="work"><multiInstanceLoopCharacteristics camunda:elementVariable="x" /></userTask>',
        ),
      ),
    ).toEqual([
      'Either loopCardinality or loopDataInputRef/activiti:collection must be set',
      'LoopDataInputRef/activiti:collection must be set when using inputDataItem or activiti:elementVariable',
    ]);
  });

  it('refuses output parameters on a multi-instance activity', async () => {
    expect(
      await errorsOf(
        definitions(`<userTask id="work">
          <extensionElements><camunda:inputOutput><camunda:outputParameter name="x">1</camunda:outputParameter></camunda:inputOutput></extensionElements>
          <multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>
        </userTask>`),
      ),
    ).toEqual(['camunda:outputParameter not allowed for multi-instance constructs']);
  });

  it('refuses standard loops', async () => {
    expect(
      await errorsOf(definitions('<userTask id="work"><standardLoopCharacteristics /></userTask>')),
    ).toEqual(["Standard loops are not supported: <userTask> 'work'"]);
  });
});
