import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBpmn, type ParseProblem } from './index';

const readFixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

async function problemsOf(xml: string): Promise<{ errors: ParseProblem[]; warnings: ParseProblem[] }> {
  const result = await parseBpmn(xml);
  if (result.ok) throw new Error('expected the resource to be refused');
  return result;
}

/** `[mainBpmnElementId, line, message]` per problem: compact, and still checks all three. */
const brief = (problems: readonly ParseProblem[]) =>
  problems.map((problem) => [problem.mainBpmnElementId, problem.line, problem.message]);

const BPMN = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"';

describe('parseBpmn on processes it refuses', () => {
  it('names every unsupported element with its id and line', async () => {
    const { errors } = await problemsOf(readFixture('unsupported-elements.bpmn'));

    expect(brief(errors)).toEqual([
      ['call', 12, "CMMN is not supported: <callActivity> 'call' has a camunda:caseRef"],
      ['multi', 16, "Standard loops are not supported: <userTask> 'multi'"],
      [
        'eventSubStart',
        23,
        "The start event 'eventSubStart' of event sub-process 'eventSub' has no event definition: an event sub-process starts only through a triggered start event",
      ],
      [
        'timerStart',
        8,
        "Process 'unsupported' has 2 none or timer start events ('start', 'timerStart'): multiple none start events or timer start events not supported on process definition",
      ],
    ]);
    // Flows into rejected elements are not reported a second time.
    expect(errors.map((error) => error.message).join()).not.toContain('Invalid');
  });

  it('refuses a constant camunda:jobPriority that is not an integer, as Camunda does', async () => {
    const { errors } =
      await problemsOf(`<definitions ${BPMN} xmlns:camunda="http://camunda.org/schema/1.0/bpmn">
  <process id="p" isExecutable="true" camunda:jobPriority="high">
    <startEvent id="s" />
    <sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <task id="t" camunda:asyncBefore="true" camunda:jobPriority="1.5" />
    <sequenceFlow id="f2" sourceRef="t" targetRef="u" />
    <task id="u" camunda:asyncBefore="true" camunda:jobPriority="\${prio}" />
    <sequenceFlow id="f3" sourceRef="u" targetRef="e" />
    <endEvent id="e" />
  </process>
</definitions>`);

    expect(errors.map((error) => [error.mainBpmnElementId, error.message])).toEqual([
      ['t', "Value '1.5' for attribute 'jobPriority' is not a valid number"],
      ['p', "Value 'high' for attribute 'jobPriority' is not a valid number"],
    ]);
  });

  it('refuses sequence flows to or from nowhere and across sub-process boundaries', async () => {
    const { errors } = await problemsOf(readFixture('flow-to-nowhere.bpmn'));

    expect(brief(errors)).toEqual([
      ['toNowhere', 6, "Invalid destination 'nowhere' of sequence flow 'toNowhere'"],
      ['fromNowhere', 7, "Invalid source 'ghost' of sequence flow 'fromNowhere'"],
      [
        'intoSub',
        8,
        "Invalid destination 'inside' of sequence flow 'intoSub': the flow is in scope 'lost' but 'inside' is in " +
          "scope 'sub'; sequence flows cannot cross sub-process boundaries",
      ],
      [
        'outOfSub',
        12,
        "Invalid destination 'end' of sequence flow 'outOfSub': the flow is in scope 'sub' but 'end' is in " +
          "scope 'lost'; sequence flows cannot cross sub-process boundaries",
      ],
    ]);
    expect(errors[0]!.bpmnElementIds).toEqual(['toNowhere', 'nowhere']);
  });

  it('refuses a process without a none start event and a sub-process with two', async () => {
    const { errors } = await problemsOf(readFixture('no-start-event.bpmn'));

    expect(brief(errors)).toEqual([
      ['sub', 7, "Sub-process 'sub' has 2 none start events ('first', 'second'); exactly one is supported"],
      ['headless', 4, "Process 'headless' has no start event"],
    ]);
    expect(errors[0]!.bpmnElementIds).toEqual(['sub', 'first', 'second']);
  });

  it('refuses a resource without an executable process and warns about a missing isExecutable', async () => {
    const { errors, warnings } = await problemsOf(readFixture('non-executable-only.bpmn'));

    expect(brief(errors)).toEqual([
      [null, null, 'No executable process: the resource contains no <process> with isExecutable="true"'],
    ]);
    expect(brief(warnings)).toEqual([
      [
        'sketch',
        7,
        'Process \'sketch\' has no isExecutable attribute; it is not deployed (set isExecutable="true" to run it)',
      ],
    ]);
  });

  it('refuses conditions that do not parse and script conditions, naming the flow', async () => {
    const { errors } = await problemsOf(readFixture('bad-condition.bpmn'));

    expect(brief(errors)).toEqual([
      [
        'broken',
        9,
        "Invalid condition of sequence flow 'broken': Syntax error in expression '${amount > }' at column 12: " +
          'expected an operand but found the end of the expression',
      ],
      [
        'scripted',
        12,
        "Script conditions are not supported: sequence flow 'scripted' has a condition in language 'groovy'",
      ],
    ]);
  });

  it('does not judge a gateway by the flows that failed to resolve', async () => {
    const xml = [
      `<definitions ${BPMN} targetNamespace="t">`,
      '  <process id="p" isExecutable="true">',
      '    <startEvent id="start" />',
      '    <sequenceFlow id="toCheck" sourceRef="start" targetRef="check" />',
      '    <exclusiveGateway id="check" />',
      '    <sequenceFlow id="yes" sourceRef="check" targetRef="end"><conditionExpression>${ok</conditionExpression></sequenceFlow>',
      '    <sequenceFlow id="no" sourceRef="check" targetRef="end"><conditionExpression>${!ok}</conditionExpression></sequenceFlow>',
      '    <endEvent id="end" />',
      '  </process>',
      '</definitions>',
    ].join('\n');

    const { errors, warnings } = await problemsOf(xml);

    expect(errors.map((error) => error.mainBpmnElementId)).toEqual(['yes']);
    expect(warnings).toEqual([]);
  });

  it('refuses events without a usable message, signal or timer and misplaced boundary events', async () => {
    const { errors } = await problemsOf(readFixture('bad-events.bpmn'));

    expect(brief(errors)).toEqual([
      [
        'stray',
        31,
        'Could not read <bpmn:terminateEventDefinition>: unrecognized element <bpmn:terminateEventDefinition>',
      ],
      ['noMessage', 7, "<receiveTask> 'noMessage' has no messageRef: a message is required"],
      [
        'unknownMessage',
        8,
        "Invalid messageRef 'missingMessage' of <receiveTask> 'unknownMessage': no message with this id",
      ],
      [
        'namelessMessage',
        9,
        "The message 'nameless' referenced by <intermediateCatchEvent> 'namelessMessage' has no name",
      ],
      [
        'emptyTimer',
        12,
        "Timer event <intermediateCatchEvent> 'emptyTimer' has no timeDate, timeDuration or timeCycle",
      ],
      [
        'unknownSignal',
        15,
        "Invalid signalRef 'missingSignal' of <intermediateCatchEvent> 'unknownSignal': no signal with this id",
      ],
      ['noDefinition', 18, "<intermediateCatchEvent> 'noDefinition' has no event definition"],
      ['gateway', 19, "Exclusive Gateway 'gateway' has no outgoing sequence flows."],
      [
        'onGateway',
        20,
        "Boundary event 'onGateway' is attached to 'gateway' (exclusiveGateway); only tasks and sub-processes can have boundary events",
      ],
      ['onNothing', 25, "Boundary event 'onNothing' must not have incoming sequence flows"],
      ['onNothing', 25, "Invalid attachedToRef 'missingTask' of boundary event 'onNothing'"],
    ]);
  });

  it("applies Camunda's exclusive gateway rules and checks that default flows leave their gateway", async () => {
    const { errors, warnings } = await problemsOf(readFixture('gateway-rules.bpmn'));

    expect(brief(errors)).toEqual([
      [
        'ambiguous',
        8,
        "Exclusive Gateway 'ambiguous' has outgoing sequence flow 'plainA' without condition which is not the default flow.",
      ],
      [
        'ambiguous',
        8,
        "Exclusive Gateway 'ambiguous' has outgoing sequence flow 'plainB' without condition which is not the default flow.",
      ],
      [
        'lonely',
        16,
        "Exclusive Gateway 'lonely' has only one outgoing sequence flow ('onlyOne'). This is not allowed to have a condition.",
      ],
      [
        'conditionalDefault',
        20,
        "Exclusive Gateway 'conditionalDefault' has outgoing sequence flow 'defaultWithCondition' which is the default flow but has a condition too.",
      ],
      [
        'foreignDefault',
        27,
        "Default sequence flow 'toAmbiguous' of gateway 'foreignDefault' is not one of its outgoing sequence flows",
      ],
      ['deadEnd', 29, "Exclusive Gateway 'deadEnd' has no outgoing sequence flows."],
    ]);
    expect(brief(warnings)).toEqual([
      [
        'implicit',
        11,
        "Exclusive Gateway 'implicit' has outgoing sequence flow 'fallback' without condition which is not the default flow. " +
          'We assume it to be the default flow, but it is bad modeling practice, better set the default flow in your gateway.',
      ],
    ]);
  });

  it('refuses external tasks without a topic and history time to live that is not a number of days', async () => {
    const xml = `<definitions ${BPMN} xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">
      <process id="p" isExecutable="true" camunda:historyTimeToLive="forever">
        <startEvent id="start" />
        <serviceTask id="worker" camunda:type="external" />
      </process>
    </definitions>`;

    const { errors } = await problemsOf(xml);

    expect(brief(errors)).toEqual([
      ['worker', 4, "External task <serviceTask> 'worker' has no camunda:topic"],
      ['p', 2, "Cannot parse historyTimeToLive 'forever' of process 'p': expected a number of days"],
    ]);
  });
});
