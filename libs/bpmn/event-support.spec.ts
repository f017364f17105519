import { parseBpmn } from './bpmn-parser';

const definitions = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
  <error id="err" errorCode="E" />
  <process id="p" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <endEvent id="end" />
    ${body}
  </process>
</definitions>`;
const espWith = (startEvent: string) => `
    <subProcess id="esp" triggeredByEvent="true">
      ${startEvent}
      <sequenceFlow id="e1" sourceRef="espStart" targetRef="espEnd" />
      <endEvent id="espEnd" />
    </subProcess>`;
const messagesOf = async (xml: string) => {
  const result = await parseBpmn(xml);
  return result.ok ? [] : result.errors.map((error) => error.message);
};

describe('event constructs the engine runs or refuses', () => {
  it('accepts event sub-processes with error, escalation and timer start events', async () => {
    for (const definition of [
      '<errorEventDefinition errorRef="err" />',
      '<escalationEventDefinition />',
      '<timerEventDefinition><timeCycle>R3/PT10M</timeCycle></timerEventDefinition>',
    ]) {
      expect(
        await messagesOf(definitions(espWith(`<startEvent id="espStart">${definition}</startEvent>`))),
      ).toEqual([]);
    }
  });

  it('refuses a non-interrupting error start event, as Camunda does', async () => {
    const xml = definitions(
      espWith('<startEvent id="espStart" isInterrupting="false"><errorEventDefinition /></startEvent>'),
    );
    expect(await messagesOf(xml)).toEqual([
      "<startEvent> 'espStart': error start event of event subprocess must be interrupting",
    ]);
  });

  it('accepts conditional event sub-process start events but refuses error start events at process level', async () => {
    const conditional = definitions(
      espWith(
        '<startEvent id="espStart"><conditionalEventDefinition><condition>${x}</condition></conditionalEventDefinition></startEvent>',
      ),
    );
    expect(await messagesOf(conditional)).toEqual([]);
    const topLevel = definitions('<startEvent id="errorStart"><errorEventDefinition /></startEvent>');
    expect((await messagesOf(topLevel)).join('\n')).toContain(
      "<startEvent> 'errorStart' is a start event with a error trigger, which is not supported yet",
    );
  });

  it('refuses escalation catchers Camunda refuses on one scope', async () => {
    const twoCatchAll = definitions(`
    <subProcess id="a" triggeredByEvent="true">
      <startEvent id="aStart"><escalationEventDefinition /></startEvent>
      <sequenceFlow id="a1" sourceRef="aStart" targetRef="aEnd" />
      <endEvent id="aEnd" />
    </subProcess>
    <subProcess id="b" triggeredByEvent="true">
      <startEvent id="bStart" isInterrupting="false"><escalationEventDefinition /></startEvent>
      <sequenceFlow id="b1" sourceRef="bStart" targetRef="bEnd" />
      <endEvent id="bEnd" />
    </subProcess>`);
    expect(await messagesOf(twoCatchAll)).toEqual([
      'The same scope can not contains more than one escalation event subprocess without escalation code. An escalation event subprocess without escalation code catch all escalation events.',
    ]);
  });
});
