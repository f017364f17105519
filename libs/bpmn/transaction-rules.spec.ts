import { parseBpmn } from './bpmn-parser';
import { cancelBoundaryFor } from './transaction-rules';

const definitions = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
  <process id="p" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="tx" />
    ${body}
  </process>
</definitions>`;
const scope = (element: 'transaction' | 'subProcess', inner = '', loop = '') => `
    <${element} id="tx">
      ${loop}
      <startEvent id="txStart" />
      <sequenceFlow id="t1" sourceRef="txStart" targetRef="failure" />
      <endEvent id="failure"><cancelEventDefinition /></endEvent>
      ${inner}
    </${element}>`;
const cancelBoundary = (id: string, host = 'tx') =>
  `<boundaryEvent id="${id}" attachedToRef="${host}"><cancelEventDefinition /></boundaryEvent>`;
const messagesOf = async (xml: string) => {
  const result = await parseBpmn(xml);
  return result.ok ? [] : result.errors.map((error) => [error.mainBpmnElementId, error.message]);
};

describe('transactions at deployment', () => {
  it('reads a transaction as a sub-process and links its cancel end event to the cancel boundary event', async () => {
    const result = await parseBpmn(definitions(scope('transaction') + cancelBoundary('catch')));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const model = result.processes[0]!;
    expect(model.nodes.get('tx')).toMatchObject({ kind: 'subProcess', transaction: true });
    expect(model.nodes.get('failure')).toMatchObject({ kind: 'endEvent', result: { type: 'cancel' } });
    expect(cancelBoundaryFor(model, model.nodes.get('failure')!)?.id).toBe('catch');
  });

  it('finds the cancel boundary event of a multi-instance transaction on its body', async () => {
    const loop =
      '<multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>';
    const result = await parseBpmn(definitions(scope('transaction', '', loop) + cancelBoundary('catch')));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const model = result.processes[0]!;
    expect(cancelBoundaryFor(model, model.nodes.get('failure')!)?.id).toBe('catch');
  });

  it('deploys a transaction without cancel boundary event, as Camunda does', async () => {
    expect(await messagesOf(definitions(scope('transaction')))).toEqual([]);
  });

  it('refuses a cancel end event outside a transaction', async () => {
    expect(await messagesOf(definitions(scope('subProcess')))).toEqual([
      ['failure', 'end event with cancelEventDefinition only supported inside transaction subprocess'],
    ]);
  });

  it('refuses a cancel end event nested deeper than directly in the transaction', async () => {
    const nested = `
      <subProcess id="inner">
        <startEvent id="innerStart" />
        <sequenceFlow id="i1" sourceRef="innerStart" targetRef="innerCancel" />
        <endEvent id="innerCancel"><cancelEventDefinition /></endEvent>
      </subProcess>`;
    expect(await messagesOf(definitions(scope('transaction', nested)))).toEqual([
      ['innerCancel', 'end event with cancelEventDefinition only supported inside transaction subprocess'],
    ]);
  });

  it('refuses a cancel boundary event on anything but a transaction', async () => {
    const xml = definitions(
      scope('transaction') +
        '<sequenceFlow id="f2" sourceRef="tx" targetRef="task" /><userTask id="task" />' +
        cancelBoundary('onTask', 'task'),
    );
    expect(await messagesOf(xml)).toEqual([
      ['onTask', 'boundary event with cancelEventDefinition only supported on transaction subprocesses'],
    ]);
  });

  it('refuses a second cancel boundary event on one transaction', async () => {
    const xml = definitions(scope('transaction') + cancelBoundary('catch1') + cancelBoundary('catch2'));
    expect(await messagesOf(xml)).toEqual([
      [
        'catch2',
        'multiple boundary events with cancelEventDefinition not supported on same transaction subprocess',
      ],
    ]);
  });

  it('refuses cancel intermediate throw events as before', async () => {
    const xml = definitions(
      scope(
        'transaction',
        '<intermediateThrowEvent id="throwCancel"><cancelEventDefinition /></intermediateThrowEvent>',
      ),
    );
    expect((await messagesOf(xml)).map(([id]) => id)).toEqual(['throwCancel']);
  });
});
