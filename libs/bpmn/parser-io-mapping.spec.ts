import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBpmn, type IoValue, type ProcessModel } from './index';

const readFixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

async function modelOf(name: string): Promise<ProcessModel> {
  const result = await parseBpmn(readFixture(name));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const [model] = result.processes;
  return model!;
}

/** An IO value with expressions shown by their source text. */
function sourceOf(value: IoValue): unknown {
  switch (value.kind) {
    case 'expression':
      return value.expression.source;
    case 'null':
      return null;
    case 'list':
      return value.items.map(sourceOf);
    case 'map':
      return Object.fromEntries(value.entries.map((entry) => [entry.key, sourceOf(entry.value)]));
  }
}

describe('parseBpmn on camunda:inputOutput and camunda:initiator', () => {
  it('reads input and output parameters of a user task in document order', async () => {
    const model = await modelOf('input-output.bpmn');
    const mapping = model.nodes.get('review')?.ioMapping;

    expect(mapping?.inputs.map((input) => [input.name, sourceOf(input.value)])).toEqual([
      ['reviewer', '${owner}'],
      ['greeting', 'Hello ${owner}!'],
      ['nothing', null],
      ['checks', ['spelling', '${amount}', { depth: 'full' }]],
    ]);
    expect(mapping?.outputs.map((output) => [output.name, sourceOf(output.value)])).toEqual([
      ['verdict', '${decision}'],
    ]);
  });

  it('leaves elements without a mapping at null', async () => {
    const model = await modelOf('input-output.bpmn');

    expect(model.nodes.get('end')?.ioMapping).toBeNull();
    expect(model.nodes.get('start')?.ioMapping).toBeNull();
  });

  it('reads camunda:initiator of the process start event', async () => {
    expect((await modelOf('input-output.bpmn')).initiatorVariable).toBe('starter');
    expect((await modelOf('user-task.bpmn')).initiatorVariable).toBeNull();
  });

  it('refuses scripts, start events, gateways and outputs on end events, naming element and line', async () => {
    const result = await parseBpmn(readFixture('input-output-refused.bpmn'));
    if (result.ok) throw new Error('expected the resource to be refused');

    expect(result.errors.map((error) => [error.mainBpmnElementId, error.line, error.message])).toEqual([
      ['start', 4, "camunda:inputOutput mapping unsupported for element type 'startEvent'."],
      [
        'scripted',
        10,
        "Script parameters are not supported: camunda:inputParameter 'sum' of <manualTask> 'scripted' has a camunda:script",
      ],
      ['split', 18, "camunda:inputOutput mapping unsupported for element type 'parallelGateway'."],
      ['end', 24, "camunda:outputParameter not allowed for element type 'endEvent'."],
    ]);
  });

  it('refuses a mapping on a plain <task>, as Camunda only accepts tag names containing "Task"', async () => {
    const xml = readFixture('input-output-refused.bpmn').replace(/manualTask/g, 'task');
    const result = await parseBpmn(xml);
    if (result.ok) throw new Error('expected the resource to be refused');

    expect(result.errors.map((error) => error.message)).toContain(
      "camunda:inputOutput mapping unsupported for element type 'task'.",
    );
  });
});
