import { completeTask, modifyInstance, type EngineEffect } from '..';
import { bpmnDefinitions, modelFrom, Scenario } from '../testing/engine-harness';

/** The activities the effects started, in order. */
const started = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityStarted' ? [e.activityId] : []));

const compensable = (id: string) => `
    <userTask id="${id}" />
    <boundaryEvent id="${id}Boundary" attachedToRef="${id}"><compensateEventDefinition /></boundaryEvent>
    <serviceTask id="undo${id}" isForCompensation="true" camunda:expression="\${true}" />
    <association associationDirection="One" sourceRef="${id}Boundary" targetRef="undo${id}" />`;

const sequence = bpmnDefinitions(`
  <process id="sequence" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="A" />
    ${compensable('A')}
    <sequenceFlow id="f2" sourceRef="A" targetRef="B" />
    ${compensable('B')}
    <sequenceFlow id="f3" sourceRef="B" targetRef="C" />
    ${compensable('C')}
    <sequenceFlow id="f4" sourceRef="C" targetRef="throw" />
    <intermediateThrowEvent id="throw"><compensateEventDefinition /></intermediateThrowEvent>
    <sequenceFlow id="f5" sourceRef="throw" targetRef="after" />
    <userTask id="after" />
  </process>`);

const waitingHandler = bpmnDefinitions(`
  <process id="waiting" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="A" />
    <serviceTask id="A" camunda:expression="\${true}" />
    <boundaryEvent id="ab" attachedToRef="A"><compensateEventDefinition /></boundaryEvent>
    <userTask id="undoA" isForCompensation="true" />
    <association sourceRef="ab" targetRef="undoA" />
    <sequenceFlow id="f2" sourceRef="A" targetRef="nothing" />
    <intermediateThrowEvent id="nothing"><compensateEventDefinition activityRef="B" /></intermediateThrowEvent>
    <sequenceFlow id="f3" sourceRef="nothing" targetRef="end" />
    <serviceTask id="B" isForCompensation="true" camunda:expression="\${true}" />
    <endEvent id="end"><compensateEventDefinition /></endEvent>
  </process>`);

const subProcessSnapshot = bpmnDefinitions(`
  <process id="snapshot" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <subProcess id="sub">
      <extensionElements><camunda:inputOutput>
        <camunda:inputParameter name="hotel">Ritz</camunda:inputParameter>
      </camunda:inputOutput></extensionElements>
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="book" />
      <serviceTask id="book" camunda:expression="\${true}" />
      <boundaryEvent id="bookBoundary" attachedToRef="book"><compensateEventDefinition /></boundaryEvent>
      <userTask id="cancel" isForCompensation="true" />
      <association sourceRef="bookBoundary" targetRef="cancel" />
      <sequenceFlow id="s2" sourceRef="book" targetRef="subEnd" />
      <endEvent id="subEnd" />
    </subProcess>
    <sequenceFlow id="f2" sourceRef="sub" targetRef="wait" />
    <userTask id="wait" />
    <sequenceFlow id="f3" sourceRef="wait" targetRef="throw" />
    <intermediateThrowEvent id="throw"><compensateEventDefinition /></intermediateThrowEvent>
    <sequenceFlow id="f4" sourceRef="throw" targetRef="end" />
    <endEvent id="end" />
  </process>`);

const multiInstance = bpmnDefinitions(`
  <process id="mi" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="book" />
    <serviceTask id="book" camunda:expression="\${true}">
      <multiInstanceLoopCharacteristics><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics>
    </serviceTask>
    <boundaryEvent id="bookBoundary" attachedToRef="book"><compensateEventDefinition /></boundaryEvent>
    <userTask id="undoBook" isForCompensation="true" />
    <association sourceRef="bookBoundary" targetRef="undoBook" />
    <sequenceFlow id="f2" sourceRef="book" targetRef="end" />
    <endEvent id="end"><compensateEventDefinition activityRef="book" /></endEvent>
  </process>`);

const eventSubProcess = bpmnDefinitions(`
  <process id="esp" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="book" />
      <serviceTask id="book" camunda:expression="\${true}" />
      <boundaryEvent id="bookBoundary" attachedToRef="book"><compensateEventDefinition /></boundaryEvent>
      <serviceTask id="cancelBook" isForCompensation="true" camunda:expression="\${true}" />
      <association sourceRef="bookBoundary" targetRef="cancelBook" />
      <sequenceFlow id="s2" sourceRef="book" targetRef="subEnd" />
      <endEvent id="subEnd" />
      <subProcess id="compensation" triggeredByEvent="true">
        <startEvent id="compensationStart"><compensateEventDefinition /></startEvent>
        <sequenceFlow id="c1" sourceRef="compensationStart" targetRef="inner" />
        <intermediateThrowEvent id="inner"><compensateEventDefinition /></intermediateThrowEvent>
        <sequenceFlow id="c2" sourceRef="inner" targetRef="review" />
        <userTask id="review" />
        <sequenceFlow id="c3" sourceRef="review" targetRef="compensationEnd" />
        <endEvent id="compensationEnd" />
      </subProcess>
    </subProcess>
    <sequenceFlow id="f2" sourceRef="sub" targetRef="throw" />
    <intermediateThrowEvent id="throw"><compensateEventDefinition /></intermediateThrowEvent>
    <sequenceFlow id="f3" sourceRef="throw" targetRef="end" />
    <endEvent id="end" />
  </process>`);

const subProcessHandler = bpmnDefinitions(`
  <process id="subHandler" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="A" />
    <serviceTask id="A" camunda:expression="\${true}" />
    <boundaryEvent id="ab" attachedToRef="A"><compensateEventDefinition /></boundaryEvent>
    <subProcess id="undoA" isForCompensation="true">
      <startEvent id="undoStart" />
      <sequenceFlow id="u1" sourceRef="undoStart" targetRef="undoTask" />
      <userTask id="undoTask" />
      <sequenceFlow id="u2" sourceRef="undoTask" targetRef="undoEnd" />
      <endEvent id="undoEnd" />
    </subProcess>
    <association sourceRef="ab" targetRef="undoA" />
    <sequenceFlow id="f2" sourceRef="A" targetRef="throw" />
    <intermediateThrowEvent id="throw"><compensateEventDefinition activityRef="A" /></intermediateThrowEvent>
    <sequenceFlow id="f3" sourceRef="throw" targetRef="after" />
    <userTask id="after" />
  </process>`);

const miSubProcess = bpmnDefinitions(`
  <process id="miSub" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="scope" />
    <subProcess id="scope">
      <multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>
      <startEvent id="scopeStart" />
      <sequenceFlow id="s1" sourceRef="scopeStart" targetRef="book" />
      <serviceTask id="book" camunda:expression="\${true}" />
      <boundaryEvent id="bookBoundary" attachedToRef="book"><compensateEventDefinition /></boundaryEvent>
      <userTask id="undoBook" isForCompensation="true" />
      <association sourceRef="bookBoundary" targetRef="undoBook" />
      <sequenceFlow id="s2" sourceRef="book" targetRef="scopeEnd" />
      <endEvent id="scopeEnd" />
    </subProcess>
    <sequenceFlow id="f2" sourceRef="scope" targetRef="throw" />
    <intermediateThrowEvent id="throw"><compensateEventDefinition /></intermediateThrowEvent>
    <sequenceFlow id="f3" sourceRef="throw" targetRef="after" />
    <userTask id="after" />
  </process>`);

describe('compensation', () => {
  it('keeps one compensate subscription per completed compensable activity in its scope', async () => {
    const scenario = new Scenario(await modelFrom(sequence)).start().completeTask('A').completeTask('B');
    expect(scenario.state.eventSubscriptions.map((s) => [s.type, s.eventName, s.activityId])).toEqual([
      ['compensate', null, 'undoA'],
      ['compensate', null, 'undoB'],
    ]);
    expect(scenario.state.eventSubscriptions.every((s) => s.activityInstanceId === scenario.state.id)).toBe(
      true,
    );
  });

  it('runs the handlers of completed activities newest first, then passes on', async () => {
    const scenario = new Scenario(await modelFrom(sequence)).start();
    scenario.ctx.advance(1000);
    scenario.completeTask('A');
    scenario.ctx.advance(1000);
    scenario.completeTask('B');
    scenario.ctx.advance(1000);
    scenario.completeTask('C');
    expect(started(scenario.effects)).toEqual(['throw', 'undoC', 'undoB', 'undoA', 'after']);
    expect(scenario.outline).toBe('sequence:1:d1(after)');
    expect(scenario.state.eventSubscriptions).toEqual([]);
  });

  it('waits in the throw event while a handler waits, the handler beside it in the tree', async () => {
    const scenario = new Scenario(await modelFrom(waitingHandler)).start();
    expect(scenario.outline).toBe('waiting:1:d1(end, undoA)');
    const undo = scenario.state.activityInstances.find((i) => i.activityId === 'undoA')!;
    expect(undo.parentId).toBe(scenario.state.id);
    scenario.completeTask('undoA');
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('passes a throw with nothing to compensate', async () => {
    const scenario = new Scenario(await modelFrom(waitingHandler)).start();
    expect(started(scenario.effects).slice(0, 5)).toEqual(['start', 'A', 'nothing', 'end', 'undoA']);
  });

  it('compensates a completed sub-process from its snapshot, with its variables', async () => {
    const scenario = new Scenario(await modelFrom(subProcessSnapshot)).start();
    expect(scenario.state.eventScopes.map((s) => s.activityId)).toEqual(['sub']);
    const [snapshot] = scenario.state.eventScopes;
    expect(scenario.state.variables.filter((v) => v.scopeId === snapshot!.id).map((v) => v.name)).toEqual([
      'hotel',
    ]);
    expect(scenario.state.eventSubscriptions.map((s) => [s.activityId, s.configuration ?? null])).toEqual([
      ['cancel', null],
      ['sub', snapshot!.id],
    ]);
    scenario.completeTask('wait');
    expect(scenario.outline).toBe('snapshot:1:d1(sub(cancel), throw)');
    const sub = scenario.state.activityInstances.find((i) => i.activityId === 'sub')!;
    expect(scenario.state.variables.filter((v) => v.scopeId === sub.id).map((v) => v.value.value)).toEqual([
      'Ritz',
    ]);
    expect(scenario.state.eventScopes).toEqual([]);
    scenario.completeTask('cancel');
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('compensates each inner instance of a multi-instance activity inside its body', async () => {
    const scenario = new Scenario(await modelFrom(multiInstance)).start();
    expect(scenario.outline).toBe('mi:1:d1(book#multiInstanceBody(undoBook, undoBook, undoBook), end)');
    const body = scenario.state.activityInstances.find((i) => i.activityId === 'book#multiInstanceBody')!;
    expect(body.compensationThrowId).toBe(
      scenario.state.activityInstances.find((i) => i.activityId === 'end')!.id,
    );
    for (const task of scenario.state.tasks) {
      scenario.step((model, state, ctx) =>
        completeTask(model, state, { taskId: task.id, variables: {} }, ctx),
      );
    }
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('starts the compensation event sub-process inside the re-entered sub-process', async () => {
    const scenario = new Scenario(await modelFrom(eventSubProcess)).start();
    expect(scenario.outline).toBe('esp:1:d1(sub(compensation(review)), throw)');
    expect(started(scenario.effects)).toContain('cancelBook');
    scenario.completeTask('review');
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('runs a sub-process handler to its end before the throw passes on', async () => {
    const scenario = new Scenario(await modelFrom(subProcessHandler)).start();
    expect(scenario.outline).toBe('subHandler:1:d1(throw, undoA(undoTask))');
    scenario.completeTask('undoTask');
    expect(scenario.outline).toBe('subHandler:1:d1(after)');
  });

  it('cancels the handlers along with a throw that is cancelled', async () => {
    const scenario = new Scenario(await modelFrom(subProcessHandler)).start();
    const thrower = scenario.state.activityInstances.find((i) => i.activityId === 'throw')!;
    scenario.step((model, state, ctx) =>
      modifyInstance(
        model,
        state,
        { instructions: [{ type: 'cancel', activityInstanceId: thrower.id }] },
        ctx,
      ),
    );
    expect(scenario.state.state).toBe('EXTERNALLY_TERMINATED');
    expect(scenario.state.tasks).toEqual([]);
  });

  it('leaves nothing to compensate for a cancelled activity', async () => {
    const scenario = new Scenario(await modelFrom(sequence)).start().completeTask('A');
    scenario.step((model, state, ctx) =>
      modifyInstance(
        model,
        state,
        {
          instructions: [
            { type: 'startBeforeActivity', activityId: 'C' },
            { type: 'cancel', activityId: 'B' },
          ],
        },
        ctx,
      ),
    );
    expect(scenario.state.eventSubscriptions.map((s) => s.activityId)).toEqual(['undoA']);
    scenario.completeTask('C');
    expect(started(scenario.effects)).toEqual(['throw', 'undoC', 'undoA', 'after']);
  });

  it('re-enters a multi-instance sub-process and each of its inner instances, with their loop variables', async () => {
    const scenario = new Scenario(await modelFrom(miSubProcess)).start();
    expect(scenario.outline).toBe(
      'miSub:1:d1(scope#multiInstanceBody(scope(undoBook), scope(undoBook)), throw)',
    );
    const counters = scenario.state.activityInstances
      .filter((i) => i.activityId === 'scope')
      .map(
        (i) =>
          scenario.state.variables.find((v) => v.scopeId === i.id && v.name === 'loopCounter')?.value.value,
      )
      .sort();
    expect(counters).toEqual([0, 1]);
    for (const task of scenario.state.tasks) {
      scenario.step((model, state, ctx) =>
        completeTask(model, state, { taskId: task.id, variables: {} }, ctx),
      );
    }
    expect(scenario.outline).toBe('miSub:1:d1(after)');
    expect(scenario.state.eventScopes).toEqual([]);
  });
});
