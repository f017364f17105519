import { parseBpmn } from './bpmn-parser';
import { compensationHandlerOf, compensationSubscriptionActivityId } from './compensation';

const definitions = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
  <process id="p" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <userTask id="task" />
    <sequenceFlow id="f2" sourceRef="task" targetRef="end" />
    <endEvent id="end" />
    ${body}
  </process>
</definitions>`;
const boundary = (id: string, host = 'task') =>
  `<boundaryEvent id="${id}" attachedToRef="${host}"><compensateEventDefinition /></boundaryEvent>`;
const handler = (id: string) => `<userTask id="${id}" isForCompensation="true" />`;
const association = (source: string, target: string) =>
  `<association sourceRef="${source}" targetRef="${target}" />`;
const compensationEsp = (id: string) => `
      <subProcess id="${id}" triggeredByEvent="true">
        <startEvent id="${id}Start"><compensateEventDefinition /></startEvent>
        <sequenceFlow id="${id}1" sourceRef="${id}Start" targetRef="${id}End" />
        <endEvent id="${id}End" />
      </subProcess>`;
const subProcess = (content: string) => `
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="subEnd" />
      <endEvent id="subEnd" />
      ${content}
    </subProcess>`;
const messagesOf = async (xml: string) => {
  const result = await parseBpmn(xml);
  return result.ok ? [] : result.errors.map((error) => error.message);
};

describe('compensation at deployment', () => {
  it('links a compensation boundary event to its handler through the association', async () => {
    const result = await parseBpmn(definitions(boundary('b') + handler('undo') + association('b', 'undo')));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [model] = result.processes;
    expect(compensationHandlerOf(model!, model!.nodes.get('task')!)).toBe('undo');
    expect(compensationSubscriptionActivityId(model!, 'task')).toBe('undo');
  });

  it('refuses an association to an activity that is not for compensation', async () => {
    expect(
      await messagesOf(definitions(boundary('b') + '<userTask id="undo" />' + association('b', 'undo'))),
    ).toEqual(['compensation boundary catch must be connected to element with isForCompensation=true']);
  });

  it('refuses two compensation boundary events on one activity', async () => {
    expect(await messagesOf(definitions(boundary('b1') + boundary('b2')))).toEqual([
      'multiple boundary events with compensateEventDefinition not supported on same activity',
    ]);
  });

  it('refuses sequence flows into and out of a compensation handler', async () => {
    const xml = definitions(`${handler('undo')}
      <sequenceFlow id="in" sourceRef="task" targetRef="undo" />`);
    expect(await messagesOf(xml)).toEqual([
      "Invalid incoming sequence flow of compensation activity 'undo'. A compensation activity should not have an incoming or outgoing sequence flow.",
    ]);
  });

  it('refuses a compensation event sub-process at process level', async () => {
    expect(await messagesOf(definitions(compensationEsp('esp')))).toEqual([
      'event subprocess with compensation start event is only supported for embedded subprocess (since throwing compensation through a call activity-induced process hierarchy is not supported)',
    ]);
  });

  it('refuses two compensation event sub-processes, or one beside a compensation boundary event', async () => {
    expect(await messagesOf(definitions(subProcess(compensationEsp('a') + compensationEsp('b'))))).toEqual([
      'multiple event subprocesses with compensation start event are not supported on the same scope',
    ]);
    expect(await messagesOf(definitions(subProcess(compensationEsp('a')) + boundary('b', 'sub')))).toEqual([
      'compensation boundary event and event subprocess with compensation start event are not supported on the same scope',
    ]);
  });

  it("refuses an activityRef outside the throw's scope", async () => {
    const xml = definitions(
      `${subProcess(
        '<intermediateThrowEvent id="throw"><compensateEventDefinition activityRef="task" /></intermediateThrowEvent>',
      )}`,
    );
    expect(await messagesOf(xml)).toEqual([
      "Invalid attribute value for 'activityRef': no activity with id 'task' in scope 'sub'",
    ]);
  });

  it('warns that waitForCompletion=false is not supported', async () => {
    const result = await parseBpmn(
      definitions(
        '<intermediateThrowEvent id="throw"><compensateEventDefinition waitForCompletion="false" /></intermediateThrowEvent>',
      ),
    );
    expect(result.warnings.map((warning) => warning.message)).toContain(
      "Unsupported attribute value for 'waitForCompletion': 'waitForCompletion=false' is not supported. Compensation event will wait for compensation to join.",
    );
  });
});
