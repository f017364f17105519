import {
  activityInstanceTree,
  asyncJobDefinitionId,
  completeTask,
  correlateMessage,
  executeAsyncJob,
  jobDefinitionsOf,
  ProcessEngineException,
  type ProcessInstanceState,
} from '..';
import { modelFrom, Scenario } from '../testing/engine-harness';
import {
  miSubProcess,
  miUserTask,
  PARALLEL_USER_TASK,
  SEQUENTIAL_USER_TASK,
} from '../testing/multi-instance-models';
import { visibleVariables } from '../state/variables';

const userTask = miUserTask;
const PARALLEL = PARALLEL_USER_TASK;
const SEQUENTIAL = SEQUENTIAL_USER_TASK;
const SUB_PROCESS = miSubProcess;

/** The local variables of every instance of `activityId`, as plain values, in loopCounter order. */
function localsOf(state: ProcessInstanceState, activityId: string): Record<string, unknown>[] {
  return state.activityInstances
    .filter((instance) => instance.activityId === activityId)
    .map((instance) =>
      Object.fromEntries(
        state.variables
          .filter((variable) => variable.scopeId === instance.id)
          .map((variable) => [variable.name, variable.value.value]),
      ),
    )
    .sort((a, b) => Number(a['loopCounter'] ?? 0) - Number(b['loopCounter'] ?? 0));
}

const bodyLocals = (state: ProcessInstanceState) => localsOf(state, 'work#multiInstanceBody')[0];

async function scenario(xml: string): Promise<Scenario> {
  return new Scenario(await modelFrom(xml));
}

/** Completes the `index`th open task of `taskDefinitionKey`. */
function completeOne(s: Scenario, taskDefinitionKey: string, index = 0): Scenario {
  const task = s.state.tasks.filter((candidate) => candidate.taskDefinitionKey === taskDefinitionKey)[index];
  if (task === undefined) throw new Error(`no task ${taskDefinitionKey}`);
  return s.step((model, state, ctx) => completeTask(model, state, { taskId: task.id, variables: {} }, ctx));
}

describe('parallel multi-instance user task', () => {
  it('wraps the inner instances in a multi-instance body with the counters on the body', async () => {
    const s = (await scenario(PARALLEL)).start();
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work, work, work))');
    expect(s.waiting.tasks).toEqual(['work', 'work', 'work']);
    expect(bodyLocals(s.state)).toEqual({
      nrOfInstances: 3,
      nrOfActiveInstances: 3,
      nrOfCompletedInstances: 0,
    });
    expect(localsOf(s.state, 'work')).toEqual([{ loopCounter: 0 }, { loopCounter: 1 }, { loopCounter: 2 }]);
    const tree = activityInstanceTree(s.model, s.state);
    const body = tree?.childActivityInstances[0];
    expect(body).toMatchObject({ activityId: 'work#multiInstanceBody', activityType: 'multiInstanceBody' });
    expect(body?.childActivityInstances.map((child) => child.activityType)).toEqual([
      'userTask',
      'userTask',
      'userTask',
    ]);
  });

  it('counts each completion and leaves the body after the last', async () => {
    const s = (await scenario(PARALLEL)).start();
    completeOne(s, 'work');
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work, work))');
    expect(bodyLocals(s.state)).toEqual({
      nrOfInstances: 3,
      nrOfActiveInstances: 2,
      nrOfCompletedInstances: 1,
    });
    completeOne(completeOne(s, 'work'), 'work');
    expect(s.outline).toBe('mi:1:d1(after)');
    expect(s.state.variables.map((variable) => variable.name)).toEqual([]);
  });
});

describe('sequential multi-instance user task', () => {
  it('runs one inner instance at a time with the loop counter on the body', async () => {
    const s = (await scenario(SEQUENTIAL)).start();
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work))');
    expect(bodyLocals(s.state)).toEqual({
      nrOfInstances: 3,
      nrOfActiveInstances: 1,
      nrOfCompletedInstances: 0,
      loopCounter: 0,
    });
    completeOne(s, 'work');
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work))');
    expect(bodyLocals(s.state)).toMatchObject({ nrOfCompletedInstances: 1, loopCounter: 1 });
    completeOne(completeOne(s, 'work'), 'work');
    expect(s.outline).toBe('mi:1:d1(after)');
  });
});

describe('multi-instance sub-process', () => {
  it('gives each parallel inner sub-process its loop counter and element', async () => {
    const s = (await scenario(SUB_PROCESS(false))).start({ items: ['a', 'b'] });
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work(inner), work(inner)))');
    expect(localsOf(s.state, 'work')).toEqual([
      { loopCounter: 0, item: 'a' },
      { loopCounter: 1, item: 'b' },
    ]);
    const inner = s.state.activityInstances.filter((instance) => instance.activityId === 'inner');
    expect(inner.map((instance) => visibleVariables(s.state, instance.id)['item']?.value)).toEqual([
      'a',
      'b',
    ]);
    completeOne(s, 'inner');
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work(inner)))');
    completeOne(s, 'inner');
    expect(s.outline).toBe('mi:1:d1(after)');
  });

  it('re-reads the collection for each sequential iteration', async () => {
    const s = (await scenario(SUB_PROCESS(true))).start({ items: ['a', 'b'] });
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work(inner)))');
    expect(bodyLocals(s.state)).toMatchObject({ loopCounter: 0, item: 'a' });
    completeOne(s, 'inner');
    expect(bodyLocals(s.state)).toMatchObject({ loopCounter: 1, item: 'b', nrOfCompletedInstances: 1 });
    completeOne(s, 'inner');
    expect(s.outline).toBe('mi:1:d1(after)');
  });
});

describe('counting instances', () => {
  it('leaves the body at once when there are zero instances', async () => {
    const s = (await scenario(SUB_PROCESS(false))).start({ items: [] });
    expect(s.outline).toBe('mi:1:d1(after)');
    const history = s.effects.filter((effect) => effect.type === 'activityStarted').map((e) => e.activityId);
    expect(history).toEqual(['start', 'work#multiInstanceBody', 'after']);
  });

  it('evaluates a loopCardinality expression', async () => {
    const xml = userTask(
      '<multiInstanceLoopCharacteristics><loopCardinality>${n + 1}</loopCardinality></multiInstanceLoopCharacteristics>',
    );
    const s = (await scenario(xml)).start({ n: 1 });
    expect(s.waiting.tasks).toEqual(['work', 'work']);
  });

  it('refuses a collection variable that is not a list', async () => {
    const xml = userTask('<multiInstanceLoopCharacteristics camunda:collection="items" />');
    const s = await scenario(xml);
    expect(() => s.start({ items: 'abc' })).toThrow(
      new ProcessEngineException("ENGINE-02025 Variable 'items' is not of the expected type 'Collection'."),
    );
  });
});

describe('completion condition', () => {
  const xml = userTask(`
    <multiInstanceLoopCharacteristics camunda:collection="\${reviewers}" camunda:elementVariable="reviewer">
      <completionCondition>\${nrOfCompletedInstances >= 2 || reviewer == 'boss'}</completionCondition>
    </multiInstanceLoopCharacteristics>`);

  it('cancels the remaining inner instances once it holds', async () => {
    const s = (await scenario(xml)).start({ reviewers: ['ann', 'bob', 'cid'] });
    completeOne(s, 'work');
    expect(s.waiting.tasks).toEqual(['work', 'work']);
    completeOne(s, 'work');
    expect(s.outline).toBe('mi:1:d1(after)');
    const ended = s.effects.filter((effect) => effect.type === 'activityEnded');
    expect(ended.map((effect) => [effect.activityId, effect.endReason])).toEqual([
      ['work', 'completed'],
      ['work', 'canceled'],
      ['work#multiInstanceBody', 'completed'],
    ]);
  });

  it('is evaluated from the ended inner instance, whose element variable it sees', async () => {
    const s = (await scenario(xml)).start({ reviewers: ['ann', 'boss', 'cid'] });
    completeOne(s, 'work', 1);
    expect(s.outline).toBe('mi:1:d1(after)');
  });
});

describe('asynchronous continuations', () => {
  it('puts the element attributes on the body and the loop characteristics attributes on the inner activity', async () => {
    const xml = userTask(
      '<multiInstanceLoopCharacteristics camunda:asyncBefore="true"><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>',
      'camunda:asyncAfter="true"',
    );
    const model = await modelFrom(xml);
    expect(model.nodes.get('work#multiInstanceBody')).toMatchObject({ asyncBefore: false, asyncAfter: true });
    expect(model.nodes.get('work')).toMatchObject({
      asyncBefore: true,
      asyncAfter: false,
      scopeId: 'work#multiInstanceBody',
    });
    const s = new Scenario(model).start();
    const tree = activityInstanceTree(model, s.state);
    expect(tree?.childActivityInstances[0]?.childTransitionInstances.map((t) => t.activityId)).toEqual([
      'work',
      'work',
    ]);
  });

  const runJobs = (s: Scenario) => {
    for (const job of s.state.asyncJobs) {
      s.step((model, state, ctx) => executeAsyncJob(model, state, { jobId: job.id }, ctx));
    }
    return s;
  };

  it('runs one job per inner instance, which then gets its loop counter', async () => {
    const xml = userTask(
      '<multiInstanceLoopCharacteristics camunda:asyncBefore="true"><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>',
    );
    const s = runJobs((await scenario(xml)).start());
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work, work))');
    expect(localsOf(s.state, 'work')).toEqual([{ loopCounter: 0 }, { loopCounter: 1 }]);
  });

  it('runs one job before the body and one after it, with job definitions on the body id', async () => {
    const xml = userTask(
      '<multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>',
      'camunda:asyncBefore="true" camunda:asyncAfter="true"',
    );
    const s = (await scenario(xml)).start();
    expect(jobDefinitionsOf(s.model, s.definitionId).map((d) => [d.activityId, d.jobConfiguration])).toEqual([
      ['work#multiInstanceBody', 'async-before'],
      ['work#multiInstanceBody', 'async-after'],
    ]);
    expect(s.state.asyncJobs.map((job) => [job.activityId, job.jobDefinitionId])).toEqual([
      ['work#multiInstanceBody', asyncJobDefinitionId(s.definitionId, 'work#multiInstanceBody', 'before')],
    ]);
    runJobs(s);
    expect(s.outline).toBe('mi:1:d1(work#multiInstanceBody(work, work))');
    completeOne(completeOne(s, 'work'), 'work');
    expect(s.state.asyncJobs.map((job) => [job.activityId, job.direction])).toEqual([
      ['work#multiInstanceBody', 'after'],
    ]);
    expect(runJobs(s).outline).toBe('mi:1:d1(after)');
  });

  it('counts an inner instance that ends through its asyncAfter job only when the job runs', async () => {
    const xml = userTask(
      '<multiInstanceLoopCharacteristics camunda:asyncAfter="true"><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>',
    );
    const s = completeOne((await scenario(xml)).start(), 'work');
    expect(bodyLocals(s.state)).toMatchObject({ nrOfCompletedInstances: 0 });
    runJobs(s);
    expect(bodyLocals(s.state)).toMatchObject({ nrOfCompletedInstances: 1, nrOfActiveInstances: 1 });
    runJobs(completeOne(s, 'work'));
    expect(s.outline).toBe('mi:1:d1(after)');
  });
});

describe('boundary events of a multi-instance activity', () => {
  it('belong to the body: one trigger for all inner instances, which an interrupting event cancels', async () => {
    const xml = PARALLEL.replace(
      '<sequenceFlow id="f2"',
      `<boundaryEvent id="stop" attachedToRef="work"><messageEventDefinition messageRef="m" /></boundaryEvent>
       <sequenceFlow id="f4" sourceRef="stop" targetRef="after" />
       <sequenceFlow id="f2"`,
    ).replace('</definitions>', '<message id="m" name="stop" /></definitions>');
    const s = (await scenario(xml)).start();
    const body = s.state.activityInstances.find((i) => i.activityId === 'work#multiInstanceBody');
    expect(s.state.eventSubscriptions.map((e) => [e.activityId, e.activityInstanceId])).toEqual([
      ['stop', body?.id],
    ]);
    s.step((model, state, ctx) => correlateMessage(model, state, { messageName: 'stop' }, ctx));
    expect(s.outline).toBe('mi:1:d1(after)');
  });
});
