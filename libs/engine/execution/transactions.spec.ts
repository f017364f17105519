import { completeTask, modifyInstance, NullValueException, type EngineEffect } from '..';
import { bpmnDefinitions, modelFrom, Scenario } from '../testing/engine-harness';

const started = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityStarted' ? [e.activityId] : []));
const ended = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityEnded' ? [[e.activityId, e.activityType, e.endReason]] : []));

const compensable = (id: string) => `
      <serviceTask id="${id}" camunda:expression="\${true}" />
      <boundaryEvent id="${id}Boundary" attachedToRef="${id}"><compensateEventDefinition /></boundaryEvent>
      <userTask id="undo${id}" isForCompensation="true" />
      <association sourceRef="${id}Boundary" targetRef="undo${id}" />`;

/** book → charge → confirm (user task) → gateway: confirmed ends normally, else the cancel end event. */
const booking = (multiInstance = '') =>
  bpmnDefinitions(`
  <process id="booking" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="tx" />
    <transaction id="tx">
      ${multiInstance}
      <startEvent id="txStart" />
      <sequenceFlow id="t1" sourceRef="txStart" targetRef="book" />
      ${compensable('book')}
      <sequenceFlow id="t2" sourceRef="book" targetRef="charge" />
      ${compensable('charge')}
      <sequenceFlow id="t3" sourceRef="charge" targetRef="fork" />
      <parallelGateway id="fork" />
      <sequenceFlow id="t4" sourceRef="fork" targetRef="confirm" />
      <sequenceFlow id="t5" sourceRef="fork" targetRef="audit" />
      <userTask id="audit" />
      <userTask id="confirm" />
      <sequenceFlow id="t6" sourceRef="confirm" targetRef="decide" />
      <exclusiveGateway id="decide" default="t8" />
      <sequenceFlow id="t7" sourceRef="decide" targetRef="cancelEnd"><conditionExpression>\${!confirmed}</conditionExpression></sequenceFlow>
      <sequenceFlow id="t8" sourceRef="decide" targetRef="txEnd" />
      <endEvent id="cancelEnd"><cancelEventDefinition /></endEvent>
      <endEvent id="txEnd" />
    </transaction>
    <boundaryEvent id="cancelled" attachedToRef="tx"><cancelEventDefinition /></boundaryEvent>
    <boundaryEvent id="late" attachedToRef="tx"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="cancelled" targetRef="afterCancellation" />
    <userTask id="afterCancellation" />
    <sequenceFlow id="f3" sourceRef="late" targetRef="afterTimeout" />
    <userTask id="afterTimeout" />
    <sequenceFlow id="f4" sourceRef="tx" targetRef="afterSuccess" />
    <userTask id="afterSuccess" />
  </process>`);

describe('transactions', () => {
  it('runs as a sub-process with its own activity type', async () => {
    const scenario = new Scenario(await modelFrom(booking())).start();
    expect(scenario.outline).toBe('booking:1:d1(tx(audit, confirm))');
    const tx = scenario.state.activityInstances.find((i) => i.activityId === 'tx')!;
    expect(tx.activityType).toBe('transaction');
    expect(scenario.state.eventSubscriptions.map((s) => [s.activityId, s.activityInstanceId])).toEqual([
      ['undobook', tx.id],
      ['undocharge', tx.id],
    ]);
  });

  it('is left through its outgoing flow when it completes, keeping its compensation snapshot', async () => {
    const scenario = new Scenario(await modelFrom(booking())).start();
    scenario.completeTask('audit').completeTask('confirm', { confirmed: true });
    expect(scenario.outline).toBe('booking:1:d1(afterSuccess)');
    expect(scenario.state.eventScopes.map((s) => s.activityId)).toEqual(['tx']);
  });

  it('cancels the other activities, compensates newest first and leaves through the cancel boundary event', async () => {
    const scenario = new Scenario(await modelFrom(booking())).start();
    scenario.completeTask('confirm', { confirmed: false });
    expect(scenario.outline).toBe('booking:1:d1(tx(cancelEnd, undobook, undocharge))');
    expect(ended(scenario.effects)).toContainEqual(['audit', 'userTask', 'canceled']);
    expect(started(scenario.effects).slice(-3)).toEqual(['cancelEnd', 'undocharge', 'undobook']);
    // The transaction's own triggers go while it compensates; its compensation goes on.
    expect(scenario.state.jobs).toEqual([]);
    expect(scenario.state.eventSubscriptions).toEqual([]);
    scenario.completeTask('undocharge');
    expect(scenario.outline).toBe('booking:1:d1(tx(cancelEnd, undobook))');
    scenario.completeTask('undobook');
    expect(scenario.outline).toBe('booking:1:d1(afterCancellation)');
    expect(ended(scenario.effects)).toEqual([
      ['undobook', 'userTask', 'completed'],
      ['cancelEnd', 'cancelEndEvent', 'canceled'],
      ['tx', 'transaction', 'canceled'],
      ['cancelled', 'cancelBoundaryCatch', 'completed'],
    ]);
    expect(scenario.state.eventScopes).toEqual([]);
  });

  it('starts a cancel end event by modification in the running transaction like a token reaching it', async () => {
    const scenario = new Scenario(await modelFrom(booking())).start();
    scenario.step((model, state, ctx) =>
      modifyInstance(
        model,
        state,
        { instructions: [{ type: 'startBeforeActivity', activityId: 'cancelEnd' }] },
        ctx,
      ),
    );
    expect(scenario.outline).toBe('booking:1:d1(tx(cancelEnd, undobook, undocharge))');
  });

  it('starts a cancel end event by modification in a new transaction instance, compensating nothing of the completed one', async () => {
    const scenario = new Scenario(await modelFrom(booking())).start();
    scenario.completeTask('audit').completeTask('confirm', { confirmed: true });
    scenario.step((model, state, ctx) =>
      modifyInstance(
        model,
        state,
        { instructions: [{ type: 'startBeforeActivity', activityId: 'cancelEnd' }] },
        ctx,
      ),
    );
    expect(scenario.outline).toBe('booking:1:d1(afterCancellation, afterSuccess)');
    expect(scenario.state.eventScopes.map((s) => s.activityId)).toEqual(['tx']);
  });

  it('cancels every instance of a multi-instance transaction', async () => {
    const loop =
      '<multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>';
    const scenario = new Scenario(await modelFrom(booking(loop))).start();
    const [first] = scenario.state.tasks.filter((task) => task.taskDefinitionKey === 'confirm');
    scenario.step((model, state, ctx) =>
      completeTask(
        model,
        state,
        { taskId: first!.id, variables: { confirmed: { value: false, type: 'Boolean' } } },
        ctx,
      ),
    );
    expect(scenario.outline).toBe(
      'booking:1:d1(tx#multiInstanceBody(tx(audit, confirm), tx(cancelEnd, undobook, undocharge)))',
    );
    for (const key of ['undocharge', 'undobook']) scenario.completeTask(key);
    expect(scenario.outline).toBe('booking:1:d1(afterCancellation)');
  });

  it('fails, as Camunda does, when a cancel end event has no cancel boundary event to leave through', async () => {
    const model = await modelFrom(
      bpmnDefinitions(`
      <process id="lonely" isExecutable="true">
        <startEvent id="start" />
        <sequenceFlow id="f1" sourceRef="start" targetRef="tx" />
        <transaction id="tx">
          <startEvent id="txStart" />
          <sequenceFlow id="t1" sourceRef="txStart" targetRef="failure" />
          <endEvent id="failure"><cancelEventDefinition /></endEvent>
        </transaction>
      </process>`),
    );
    expect(() => new Scenario(model).start()).toThrow(
      new NullValueException(
        'Could not find cancel boundary event for cancel end event Activity(failure): cancelBoundaryEvent is null',
      ),
    );
  });

  it('compensates a completed sub-process through its compensation event sub-process (Camunda’s tree)', async () => {
    const model = await modelFrom(
      bpmnDefinitions(`
      <process id="txEsp" isExecutable="true">
        <startEvent id="start" />
        <sequenceFlow id="f1" sourceRef="start" targetRef="tx" />
        <transaction id="tx">
          <startEvent id="txStart" />
          <sequenceFlow id="t1" sourceRef="txStart" targetRef="inner" />
          <subProcess id="inner">
            <startEvent id="innerStart" />
            <sequenceFlow id="i1" sourceRef="innerStart" targetRef="activity" />
            <serviceTask id="activity" camunda:expression="\${true}" />
            <sequenceFlow id="i2" sourceRef="activity" targetRef="innerEnd" />
            <endEvent id="innerEnd" />
            <subProcess id="esp" triggeredByEvent="true">
              <startEvent id="espStart"><compensateEventDefinition /></startEvent>
              <sequenceFlow id="e1" sourceRef="espStart" targetRef="rethrow" />
              <intermediateThrowEvent id="rethrow"><compensateEventDefinition activityRef="activity" /></intermediateThrowEvent>
              <sequenceFlow id="e2" sourceRef="rethrow" targetRef="espEnd" />
              <endEvent id="espEnd" />
            </subProcess>
            <boundaryEvent id="activityBoundary" attachedToRef="activity"><compensateEventDefinition /></boundaryEvent>
            <userTask id="blackBox" isForCompensation="true" />
            <association sourceRef="activityBoundary" targetRef="blackBox" />
          </subProcess>
          <sequenceFlow id="t2" sourceRef="inner" targetRef="beforeCancel" />
          <userTask id="beforeCancel" />
          <sequenceFlow id="t3" sourceRef="beforeCancel" targetRef="cancelEnd" />
          <endEvent id="cancelEnd"><cancelEventDefinition /></endEvent>
        </transaction>
        <sequenceFlow id="f2" sourceRef="tx" targetRef="end" />
        <endEvent id="end" />
        <boundaryEvent id="catchCancel" attachedToRef="tx"><cancelEventDefinition /></boundaryEvent>
        <sequenceFlow id="f3" sourceRef="catchCancel" targetRef="cancelled" />
        <endEvent id="cancelled" />
      </process>`),
    );
    const scenario = new Scenario(model).start().completeTask('beforeCancel');
    expect(scenario.outline).toBe('txEsp:1:d1(tx(cancelEnd, inner(blackBox, esp(rethrow))))');
    scenario.completeTask('blackBox');
    expect(scenario.state.state).toBe('COMPLETED');
    expect(started(scenario.effects)).toContain('cancelled');
  });

  it('restarts compensation when a token reaches the cancel end event again during compensation', async () => {
    const scenario = new Scenario(await modelFrom(booking())).start();
    scenario.completeTask('confirm', { confirmed: false });
    const firstUndo = scenario.state.tasks.find((task) => task.taskDefinitionKey === 'undobook')!;
    scenario.step((model, state, ctx) =>
      modifyInstance(
        model,
        state,
        { instructions: [{ type: 'startBeforeActivity', activityId: 'confirm' }] },
        ctx,
      ),
    );
    expect(scenario.outline).toBe('booking:1:d1(tx(cancelEnd, confirm, undobook, undocharge))');
    scenario.completeTask('confirm', { confirmed: false });
    // The first cancel end event went with its handlers; nothing completed since, so nothing is left to undo.
    expect(scenario.outline).toBe('booking:1:d1(afterCancellation)');
    expect(scenario.state.tasks.map((task) => task.id)).not.toContain(firstUndo.id);
  });
});
