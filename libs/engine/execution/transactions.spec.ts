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
});
