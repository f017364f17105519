import { asyncJobDefinitionId, jobDefinitionsOf, ProcessEngineException, timerJobDefinitionId } from '..';
import { modelFrom, Scenario } from '../testing/engine-harness';

const definitions = (processAttributes: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="x">
  <process id="jobs" isExecutable="true" ${processAttributes}>${body}</process>
</definitions>`;

const JOBS = `
  <startEvent id="start" />
  <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
  <userTask id="work" camunda:asyncBefore="true" camunda:asyncAfter="true" camunda:jobPriority="\${prio}" />
  <boundaryEvent id="deadline" attachedToRef="work" camunda:jobPriority="7">
    <timerEventDefinition><timeCycle xsi:type="tFormalExpression">R3/PT1H</timeCycle></timerEventDefinition>
  </boundaryEvent>
  <sequenceFlow id="f2" sourceRef="work" targetRef="wait" />
  <sequenceFlow id="f3" sourceRef="deadline" targetRef="end" />
  <intermediateCatchEvent id="wait">
    <timerEventDefinition><timeDate xsi:type="tFormalExpression">\${when}</timeDate></timerEventDefinition>
  </intermediateCatchEvent>
  <sequenceFlow id="f4" sourceRef="wait" targetRef="end" />
  <endEvent id="end" />`;

describe('job definitions', () => {
  it("declares Camunda's job definitions: one per async continuation and per timer event", async () => {
    const model = await modelFrom(definitions('', JOBS));

    expect(jobDefinitionsOf(model, 'jobs:1:d')).toEqual([
      {
        id: asyncJobDefinitionId('jobs:1:d', 'work', 'before'),
        activityId: 'work',
        jobType: 'async-continuation',
        jobConfiguration: 'async-before',
      },
      {
        id: asyncJobDefinitionId('jobs:1:d', 'work', 'after'),
        activityId: 'work',
        jobType: 'async-continuation',
        jobConfiguration: 'async-after',
      },
      {
        id: timerJobDefinitionId('jobs:1:d', 'deadline'),
        activityId: 'deadline',
        jobType: 'timer-transition',
        jobConfiguration: 'CYCLE: R3/PT1H',
      },
      {
        id: timerJobDefinitionId('jobs:1:d', 'wait'),
        activityId: 'wait',
        jobType: 'timer-intermediate-transition',
        jobConfiguration: 'DATE: ${when}',
      },
    ]);
    expect(timerJobDefinitionId('jobs:2:d', 'wait')).not.toBe(timerJobDefinitionId('jobs:1:d', 'wait'));
  });

  it("gives a job its element's priority, else the process's, else 0", async () => {
    const withProcessPriority = new Scenario(await modelFrom(definitions('camunda:jobPriority="5"', JOBS)));
    const started = withProcessPriority.start({ prio: 12 });
    expect(started.state.asyncJobs.map((job) => job.priority)).toEqual([12]);

    const withoutElementPriority = JOBS.replace(' camunda:jobPriority="${prio}"', '');
    expect(
      new Scenario(await modelFrom(definitions('camunda:jobPriority="5"', withoutElementPriority))).start()
        .state.asyncJobs[0]!.priority,
    ).toBe(5);
    expect(
      new Scenario(await modelFrom(definitions('', withoutElementPriority))).start().state.asyncJobs[0]!
        .priority,
    ).toBe(0);
  });

  it('refuses a priority that is not an integer', async () => {
    const scenario = new Scenario(await modelFrom(definitions('', JOBS)));
    expect(() => scenario.start({ prio: 'high' })).toThrow(ProcessEngineException);
    expect(() => scenario.start({ prio: 'high' })).toThrow(/Priority value is not an Integer/);
  });
});
