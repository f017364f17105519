import type { ProcessModel } from '@libs/bpmn';
import { correlateMessage, modifyInstance, type ModificationInstruction } from '../index';
import { instanceOf, modelFrom, Scenario } from '../testing/engine-harness';
import { nestedEventSubProcesses, processLevelEventSubProcesses } from '../testing/event-models';

const modify = (scenario: Scenario, ...instructions: ModificationInstruction[]) =>
  scenario.step((model, state, ctx) => modifyInstance(model, state, { instructions }, ctx));

describe('modification and event sub-processes', () => {
  let processLevel: ProcessModel;
  let nested: ProcessModel;
  beforeAll(async () => {
    processLevel = await modelFrom(processLevelEventSubProcesses);
    nested = await modelFrom(nestedEventSubProcesses);
  });

  it('starting before an activity inside an event sub-process instantiates it and interrupts nothing', () => {
    const scenario = new Scenario(processLevel).start();
    modify(scenario, { type: 'startBeforeActivity', activityId: 'cleanUp' });
    expect(scenario.outline).toBe('esp:1:d1(cancelEsp(cleanUp), work)');
    expect(scenario.waiting.subscriptions).toContain('message:Cancel@cancelStart');
  });

  it('starting before an interrupting start event or event sub-process interrupts its scope', () => {
    for (const activityId of ['cancelStart', 'cancelEsp']) {
      const scenario = new Scenario(processLevel).start();
      modify(scenario, { type: 'startBeforeActivity', activityId });
      expect(scenario.outline).toBe('esp:1:d1(cancelEsp(cleanUp))');
      expect(scenario.waiting.subscriptions).toEqual([]);
      expect(scenario.waiting.jobs).toEqual([]);
      scenario.completeTask('cleanUp');
      expect(scenario.state.state).toBe('COMPLETED');
    }
  });

  it('starting before a non-interrupting start event runs it beside the rest', () => {
    const scenario = new Scenario(processLevel).start();
    modify(scenario, { type: 'startBeforeActivity', activityId: 'infoStart' });
    expect(scenario.outline).toBe('esp:1:d1(infoEsp(readInfo), work)');
    expect(scenario.waiting.subscriptions).toHaveLength(3);
  });

  it('inside a sub-process: the missing sub-process instance is created with its own triggers', () => {
    const scenario = new Scenario(nested).start();
    scenario.completeTask('inner');
    expect(scenario.outline).toBe('nested:1:d1(after)');

    modify(scenario, { type: 'startBeforeActivity', activityId: 'abortStart' });
    expect(scenario.outline).toBe('nested:1:d1(after, sub(abortEsp(aborted)))');
    // The new sub-process instance was interrupted at once: its other start triggers are gone.
    expect(scenario.state.jobs).toEqual([]);

    modify(scenario, { type: 'startBeforeActivity', activityId: 'inner' });
    expect(scenario.outline).toBe('nested:1:d1(after, sub(abortEsp(aborted), inner))');
  });

  it('an interrupting start before, inside an existing sub-process instance, cancels only its content', () => {
    const scenario = new Scenario(nested).start();
    modify(scenario, { type: 'startBeforeActivity', activityId: 'abortEsp' });
    expect(scenario.outline).toBe('nested:1:d1(sub(abortEsp(aborted)))');
    scenario.completeTask('aborted');
    expect(scenario.outline).toBe('nested:1:d1(after)');
  });

  it('cancels event sub-process instances; the scope completes or ends as usual', () => {
    const scenario = new Scenario(processLevel).start();
    scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'Info' }, ctx));
    const esp = instanceOf(scenario.state, 'infoEsp');
    modify(scenario, { type: 'cancel', activityInstanceId: esp.id });
    expect(scenario.outline).toBe('esp:1:d1(work)');
    expect(scenario.waiting.subscriptions).toContain('message:Info@infoStart');

    modify(
      scenario,
      { type: 'cancel', activityInstanceId: instanceOf(scenario.state, 'work').id },
      { type: 'startBeforeActivity', activityId: 'work' },
    );
    // The root was bare in between: its event sub-process triggers stayed (Camunda keeps the same job).
    expect(scenario.waiting.jobs).toEqual(['remindStart']);
  });

  it('cancelling everything in an event sub-process and starting after its last task completes the instance', () => {
    const scenario = new Scenario(processLevel).start();
    scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'Cancel' }, ctx));
    modify(
      scenario,
      { type: 'cancel', activityId: 'cleanUp' },
      { type: 'startAfterActivity', activityId: 'cleanUp' },
    );
    expect(scenario.state.state).toBe('COMPLETED');
  });
});
