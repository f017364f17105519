import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import { activityInstanceTree, type EngineEffect } from '..';
import { instanceOf, modelFrom, Scenario } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');
const engineFixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

const ended = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityEnded' ? [`${e.activityId}:${e.endReason}`] : []));

describe('nested sub-processes', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('nested-sub-processes.bpmn'));
  });

  it('enters each sub-process as a scope instance holding the next one', () => {
    const scenario = new Scenario(model).start();
    const outer = instanceOf(scenario.state, 'outer');
    const inner = instanceOf(scenario.state, 'inner');
    const work = instanceOf(scenario.state, 'work');

    expect(scenario.outline).toBe('nested:1:d1(outer(inner(work)))');
    expect(outer).toMatchObject({ parentId: scenario.state.id, activityType: 'subProcess' });
    expect(inner.parentId).toBe(outer.id);
    expect(work.parentId).toBe(inner.id);
    expect(scenario.state.tasks[0]!.activityInstanceId).toBe(work.id);

    const tree = activityInstanceTree(model, scenario.state)!;
    const outerDto = tree.childActivityInstances[0]!;
    expect(outerDto).toMatchObject({
      id: outer.id,
      activityName: 'Outer',
      parentActivityInstanceId: tree.id,
    });
    expect(outerDto.childActivityInstances[0]).toMatchObject({ id: inner.id, activityName: null });
  });

  it('completes the sub-processes from the inside out and then the instance', () => {
    const scenario = new Scenario(model).start().completeTask('work');

    expect(scenario.state.state).toBe('COMPLETED');
    expect(ended(scenario.effects)).toEqual([
      'work:completed',
      'innerEnd:completed',
      'inner:completed',
      'outerEnd:completed',
      'outer:completed',
      'end:completed',
    ]);
  });
});

describe('the terminate end event', () => {
  it('ends the whole process instance at top level, terminating the other branches', async () => {
    const model = await modelFrom(bpmnFixture('terminate-end.bpmn'));
    const scenario = new Scenario(model).start();
    expect(scenario.outline).toBe('race:1:d1(fast, slow)');

    scenario.completeTask('fast');

    expect(scenario.state).toMatchObject({ state: 'COMPLETED', endTime: scenario.ctx.now });
    expect(scenario.waiting.tasks).toEqual([]);
    expect(ended(scenario.effects)).toEqual(['fast:completed', 'terminate:completed', 'slow:terminated']);
    expect(scenario.effects).toContainEqual(
      expect.objectContaining({ type: 'taskEnded', reason: 'deleted' }),
    );
    expect(scenario.effects.at(-1)).toMatchObject({ type: 'processEnded', state: 'COMPLETED' });
  });

  it('drops the branches still in transit when the process is terminated during its start', async () => {
    const model = await modelFrom(
      bpmnFixture('terminate-end.bpmn').replace('<bpmn:userTask id="fast" />', '<bpmn:task id="fast" />'),
    );

    const scenario = new Scenario(model).start();

    expect(scenario.state.state).toBe('COMPLETED');
    expect(scenario.effects.filter((e) => e.type === 'activityStarted').map((e) => e.activityId)).toEqual([
      'start',
      'split',
      'fast',
      'terminate',
    ]);
  });

  it('ends only its sub-process inside one, which then completes and is left normally', async () => {
    const model = await modelFrom(engineFixture('terminate-in-sub-process.bpmn'));
    const scenario = new Scenario(model).start();
    expect(scenario.outline).toBe('abort:1:d1(attempt(try, watch), audit)');

    scenario.completeTask('watch');

    expect(scenario.outline).toBe('abort:1:d1(audit, review)');
    expect(scenario.waiting.tasks).toEqual(['audit', 'review']);
    expect(ended(scenario.effects)).toEqual([
      'watch:completed',
      'giveUp:completed',
      'try:terminated',
      'attempt:completed',
    ]);

    scenario.completeTask('review');
    expect(scenario.outline).toBe('abort:1:d1(audit)');
    scenario.completeTask('audit');
    expect(scenario.state.state).toBe('COMPLETED');
  });
});

describe('a run that never rests', () => {
  it('is stopped with an error instead of looping forever', async () => {
    const model = await modelFrom(`<?xml version="1.0" encoding="UTF-8"?>
      <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
        <bpmn:process id="loop" isExecutable="true">
          <bpmn:startEvent id="start" />
          <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="a" />
          <bpmn:task id="a" />
          <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
          <bpmn:task id="b" />
          <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="a" />
        </bpmn:process>
      </bpmn:definitions>`);

    expect(() => new Scenario(model).start()).toThrow(/did not reach a wait state within 100000 steps/);
  });
});
