import { parseBpmn } from '@libs/bpmn';
import { bpmnDefinitions, modelFrom, Scenario } from '../testing/engine-harness';

const started = (scenario: Scenario) =>
  scenario.effects.flatMap((effect) => (effect.type === 'activityStarted' ? [effect.activityId] : []));

/** `a` → link throw `toB` … link catch `B` → `b`; a second throw of the same link from the gateway. */
const linked = bpmnDefinitions(`
  <process id="linked" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="a" />
    <userTask id="a" />
    <sequenceFlow id="f2" sourceRef="a" targetRef="split" />
    <exclusiveGateway id="split" default="f3" />
    <sequenceFlow id="f3" sourceRef="split" targetRef="toB" />
    <sequenceFlow id="f4" sourceRef="split" targetRef="alsoToB"><conditionExpression>\${skip}</conditionExpression></sequenceFlow>
    <intermediateThrowEvent id="toB" name="B"><linkEventDefinition name="B" /></intermediateThrowEvent>
    <intermediateThrowEvent id="alsoToB" name="B"><linkEventDefinition name="B" /></intermediateThrowEvent>
    <intermediateCatchEvent id="catchB" name="B"><linkEventDefinition name="B" /></intermediateCatchEvent>
    <sequenceFlow id="f5" sourceRef="catchB" targetRef="b" />
    <userTask id="b" />
    <sequenceFlow id="f6" sourceRef="b" targetRef="end" />
    <endEvent id="end" />
  </process>`);

describe('link events', () => {
  it('lead the flows into a link throw event to the catch event of its link, which passes through', async () => {
    const model = await modelFrom(linked);
    expect(model.nodes.has('toB')).toBe(false);
    expect(model.flows.get('f3')).toMatchObject({ sourceId: 'split', targetId: 'catchB' });

    const scenario = new Scenario(model).start({ skip: false }).completeTask('a');

    expect(scenario.outline).toBe('linked:1:d1(b)');
    expect(started(scenario)).toEqual(['split', 'catchB', 'b']);
    expect(scenario.effects).toContainEqual(
      expect.objectContaining({
        type: 'activityStarted',
        activityId: 'catchB',
        activityType: 'intermediateLinkCatch',
      }),
    );
    scenario.completeTask('b');
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('reaches the same catch event from every throw event of its link', async () => {
    const scenario = new Scenario(await modelFrom(linked)).start({ skip: true }).completeTask('a');
    expect(scenario.outline).toBe('linked:1:d1(b)');
  });

  it("refuses Camunda's link mistakes and warns about a name that differs from the link's", async () => {
    const result = await parseBpmn(
      bpmnDefinitions(`
      <process id="wrong" isExecutable="true">
        <startEvent id="start" />
        <sequenceFlow id="f1" sourceRef="start" targetRef="gateway" />
        <eventBasedGateway id="gateway" />
        <sequenceFlow id="f2" sourceRef="gateway" targetRef="catchA" />
        <intermediateCatchEvent id="catchA" name="A"><linkEventDefinition name="A" /></intermediateCatchEvent>
        <intermediateCatchEvent id="catchA2" name="other"><linkEventDefinition name="A" /></intermediateCatchEvent>
        <intermediateCatchEvent id="catchC" name="see"><linkEventDefinition name="C" /></intermediateCatchEvent>
        <sequenceFlow id="f3" sourceRef="catchA" targetRef="toNowhere" />
        <intermediateThrowEvent id="toNowhere"><linkEventDefinition name="missing" /></intermediateThrowEvent>
      </process>`),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => [error.mainBpmnElementId, error.message])).toEqual(
      expect.arrayContaining([
        [
          'catchA2',
          "Multiple Intermediate Catch Events with the same link event name ('A') are not allowed.",
        ],
        [
          'f3',
          "sequence flow points to link event source with name 'missing' but no event target with that name exists. Most probably your link events are not configured correctly.",
        ],
        ['catchA', 'IntermediateCatchLinkEvent is not allowed after an EventBasedGateway.'],
      ]),
    );
    expect(result.warnings.map((warning) => [warning.mainBpmnElementId, warning.message])).toContainEqual([
      'catchC',
      "Link Event named 'see' contains link event definition with name 'C' - it is recommended to use the same name for both.",
    ]);
  });
});
