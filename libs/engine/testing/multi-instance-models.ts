/**
 * Multi-instance models for the engine's unit tests, in the spirit of Camunda's
 * `MultiInstanceProcessModels`: process `mi` runs `start → work → after → end`, where `work` is a
 * multi-instance user task or sub-process (containing the user task `inner`).
 */
import { bpmnDefinitions } from './engine-harness';

/** The `mi` process around the activity `work` (its XML, flows f1/f2 connect it). */
export const miProcess = (activity: string, processId = 'mi'): string =>
  bpmnDefinitions(`
  <process id="${processId}" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    ${activity}
    <sequenceFlow id="f2" sourceRef="work" targetRef="after" />
    <userTask id="after" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <endEvent id="end" />
  </process>`);

/** A user task `work` with the given loop characteristics XML and extra attributes. */
export const miUserTask = (loop: string, attributes = ''): string =>
  miProcess(`<userTask id="work" ${attributes}>${loop}</userTask>`);

const cardinality = (sequential: boolean, count: number) =>
  `<multiInstanceLoopCharacteristics isSequential="${sequential}"><loopCardinality>${count}</loopCardinality></multiInstanceLoopCharacteristics>`;

/** `work`: a parallel multi-instance user task with 3 instances. */
export const PARALLEL_USER_TASK = miUserTask(cardinality(false, 3));

/** `work`: a sequential multi-instance user task with 3 instances. */
export const SEQUENTIAL_USER_TASK = miUserTask(cardinality(true, 3));

/** `work`: a multi-instance sub-process over `${items}` (element `item`) containing user task `inner`. */
export const miSubProcess = (sequential: boolean): string =>
  miProcess(`
    <subProcess id="work">
      <multiInstanceLoopCharacteristics isSequential="${sequential}" camunda:collection="\${items}" camunda:elementVariable="item" />
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="inner" />
      <userTask id="inner" />
      <sequenceFlow id="s2" sourceRef="inner" targetRef="subEnd" />
      <endEvent id="subEnd" />
    </subProcess>`);

/** The same process with a plain (not multi-instance) user task `work`. */
export const PLAIN_USER_TASK = miProcess('<userTask id="work" />');
