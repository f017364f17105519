import { parseBpmn } from '@libs/bpmn';
import {
  cancelActivityInstance,
  cancelInstance,
  completeCallActivity,
  generateMigrationPlan,
  migrateInstance,
  startInstance,
  validateMigrationPlan,
  type EngineEffect,
} from '..';
import {
  bpmnDefinitions,
  definitionFrom,
  instanceOf,
  modelFrom,
  Scenario,
  TestContext,
} from '../testing/engine-harness';
import { variablesOf } from '../state/typed-value';

const caller = (callActivity: string, extra = '') =>
  bpmnDefinitions(`
  <process id="caller" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    ${callActivity}
    <sequenceFlow id="f2" sourceRef="call" targetRef="after" />
    <userTask id="after" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <endEvent id="end" />
    ${extra}
  </process>`);

const started = (effects: readonly EngineEffect[]) =>
  effects.flatMap((effect) => (effect.type === 'callActivityStarted' ? [effect] : []));

describe('a call activity', () => {
  it('waits and asks the shell to start the called process with the in-mapped variables', async () => {
    const model = await modelFrom(
      caller(`<callActivity id="call" calledElement="\${calledKey}">
        <extensionElements>
          <camunda:in source="amount" target="total" />
          <camunda:in sourceExpression="\${amount * 2}" target="doubled" />
          <camunda:in source="missing" target="nothing" />
          <camunda:in businessKey="order-\${orderId}" />
        </extensionElements>
      </callActivity>`),
    );
    const scenario = new Scenario(model).start({ calledKey: 'billing', amount: 21, orderId: 7 });
    const call = instanceOf(scenario.state, 'call');

    expect(scenario.outline).toBe('caller:1:d1(call)');
    expect(call.activityType).toBe('callActivity');
    expect(started(scenario.effects)).toEqual([
      {
        type: 'callActivityStarted',
        processInstanceId: scenario.state.id,
        activityInstanceId: call.id,
        activityId: 'call',
        calledElement: 'billing',
        binding: 'latest',
        version: null,
        versionTag: null,
        tenantId: null,
        businessKey: 'order-7',
        variables: {
          total: { type: 'Integer', value: 21 },
          doubled: { type: 'Integer', value: 42 },
          nothing: { type: 'Null', value: null },
        },
        time: scenario.ctx.now,
      },
    ]);
  });

  it('passes all variables, or only the call activity’s locals with local="true"', async () => {
    const model = await modelFrom(
      caller(`<callActivity id="call" calledElement="called">
        <extensionElements>
          <camunda:inputOutput><camunda:inputParameter name="mine">x</camunda:inputParameter></camunda:inputOutput>
          <camunda:in variables="all" local="true" />
        </extensionElements>
      </callActivity>`),
    );
    const all = await modelFrom(
      caller(`<callActivity id="call" calledElement="called">
        <extensionElements><camunda:in variables="all" /></extensionElements>
      </callActivity>`),
    );

    const local = started(new Scenario(model).start({ a: 1 }).effects)[0]!;
    const global = started(new Scenario(all).start({ a: 1, b: 'x' }).effects)[0]!;

    expect(local.variables).toEqual({ mine: { type: 'String', value: 'x' } });
    expect(global.variables).toEqual(variablesOf({ a: 1, b: 'x' }));
  });

  it('resolves the version, version tag and tenant of its binding, expressions included', async () => {
    const byVersion = await modelFrom(
      caller(`<callActivity id="call" calledElement="called" camunda:calledElementBinding="version"
        camunda:calledElementVersion="\${v}" camunda:calledElementTenantId="t-\${v}" />`),
    );
    const byTag = await modelFrom(
      caller(`<callActivity id="call" calledElement="called" camunda:calledElementBinding="versionTag"
        camunda:calledElementVersionTag="1.0" />`),
    );

    expect(started(new Scenario(byVersion).start({ v: 2 }).effects)[0]).toMatchObject({
      binding: 'version',
      version: 2,
      tenantId: 't-2',
    });
    expect(started(new Scenario(byTag).start().effects)[0]).toMatchObject({
      binding: 'versionTag',
      versionTag: '1.0',
      version: null,
    });
  });

  it('continues with the out-mapped variables of the called instance when told it completed', async () => {
    const model = await modelFrom(
      caller(`<callActivity id="call" calledElement="called">
        <extensionElements>
          <camunda:out source="result" target="outcome" />
          <camunda:out sourceExpression="\${result}!" target="shout" />
          <camunda:out source="note" target="note" local="true" />
        </extensionElements>
      </callActivity>`),
    );
    const scenario = new Scenario(model).start({ outcome: 'none' });
    const call = instanceOf(scenario.state, 'call');

    scenario.step((m, state, ctx) =>
      completeCallActivity(
        m,
        state,
        { activityInstanceId: call.id, calledVariables: variablesOf({ result: 'ok', note: 'n' }) },
        ctx,
      ),
    );

    expect(scenario.outline).toBe('caller:1:d1(after)');
    const variables = Object.fromEntries(scenario.state.variables.map((v) => [v.name, v.value.value]));
    // The local out variable lived on the call activity instance and ended with it.
    expect(variables).toEqual({ outcome: 'ok', shout: 'ok!' });
    expect(scenario.effects).toContainEqual(
      expect.objectContaining({ type: 'activityEnded', activityId: 'call', endReason: 'completed' }),
    );
  });

  it('ends cancelled when its instance is deleted or it is cancelled by modification', async () => {
    const model = await modelFrom(caller('<callActivity id="call" calledElement="called" />'));
    const deleted = new Scenario(model).start().step((m, s, c) => cancelInstance(m, s, {}, c));
    const modified = new Scenario(model).start();
    const call = instanceOf(modified.state, 'call');
    modified.step((m, s, c) => cancelActivityInstance(m, s, { activityInstanceId: call.id }, c));

    for (const scenario of [deleted, modified]) {
      expect(scenario.effects).toContainEqual(
        expect.objectContaining({
          type: 'activityEnded',
          activityType: 'callActivity',
          endReason: 'canceled',
        }),
      );
    }
  });

  it('carries its boundary events: a timer waits with it', async () => {
    const model = await modelFrom(
      caller(
        '<callActivity id="call" calledElement="called" />',
        `<boundaryEvent id="late" attachedToRef="call">
           <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
         </boundaryEvent>
         <sequenceFlow id="f4" sourceRef="late" targetRef="end" />`,
      ),
    );
    const scenario = new Scenario(model).start();

    expect(scenario.waiting.jobs).toEqual(['late']);
  });

  it('is refused at deployment without calledElement or with a bad binding; a Java variable mapping is only warned about', async () => {
    const result = await parseBpmn(
      caller(`<callActivity id="call" camunda:calledElementBinding="version" camunda:variableMappingClass="x.Y">
        <extensionElements><camunda:in target="t" /></extensionElements>
      </callActivity>`),
    );

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((error) => error.message)).toEqual([
      "Missing attribute 'calledElement' or 'caseRef'",
      "Missing attribute 'calledElementVersion' when 'calledElementBinding' has value 'version'",
      "Missing parameter 'source' or 'sourceExpression' when passing variables (<camunda:in>)",
    ]);
    expect(result.warnings.map((warning) => warning.message)).toContainEqual(
      expect.stringContaining('camunda:variableMappingClass on <callActivity>'),
    );
  });
});

describe('migrating a call activity', () => {
  const waiting = (afterCall: string) =>
    caller('<callActivity id="call" calledElement="called" />').replaceAll('after', afterCall);

  it('keeps the call activity instance and starts nothing; the target flow continues', async () => {
    const v1 = await definitionFrom(waiting('after'), 1);
    const v2 = await definitionFrom(waiting('later'), 2);
    const before = new Scenario(v1.model, v1.id).start();
    const call = instanceOf(before.state, 'call');

    const after = before.continueOn(
      v2.model,
      v2.id,
      migrateInstance(v1, v2, generateMigrationPlan(v1, v2), before.state, before.ctx),
    );

    expect(instanceOf(after.state, 'call')).toMatchObject({ id: call.id, activityType: 'callActivity' });
    expect(started(after.effects)).toEqual([]);
    expect(after.effects.some((effect) => effect.type === 'activityEnded')).toBe(false);
    after.step((m, s, c) =>
      completeCallActivity(m, s, { activityInstanceId: call.id, calledVariables: {} }, c),
    );
    expect(after.outline).toBe('caller:2:d2(later)');
  });

  it('refuses a plan that maps a call activity to another kind of activity', async () => {
    const v1 = await definitionFrom(waiting('after'), 1);
    const v2 = await definitionFrom(caller('<userTask id="call" />'), 2);

    const report = validateMigrationPlan(v1, v2, {
      sourceProcessDefinitionId: v1.id,
      targetProcessDefinitionId: v2.id,
      instructions: [{ sourceActivityId: 'call', targetActivityId: 'call' }],
    });

    expect(JSON.stringify(report)).toContain(
      'Activities have incompatible types (CallActivityBehavior is not compatible with UserTaskActivityBehavior)',
    );
  });

  it('keeps the links of a called instance that is migrated', async () => {
    const v1 = await definitionFrom(waiting('after'), 1);
    const v2 = await definitionFrom(waiting('later'), 2);
    const callLinks = {
      superProcessInstanceId: 'p',
      superActivityInstanceId: 'call:p',
      rootProcessInstanceId: 'p',
    };
    const state = startInstance(v1.model, { definitionId: v1.id, callLinks }, new TestContext()).state;

    const migrated = migrateInstance(v1, v2, generateMigrationPlan(v1, v2), state, new TestContext());

    expect(migrated.state.callLinks).toEqual(callLinks);
  });
});
