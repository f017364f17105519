import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBpmn, type ParseProblem } from './index';

const readFixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

async function problemsOf(xml: string): Promise<{ errors: ParseProblem[]; warnings: ParseProblem[] }> {
  const result = await parseBpmn(xml);
  if (result.ok) throw new Error('expected the resource to be refused');
  return result;
}

/** `[mainBpmnElementId, line, message]` per problem: compact, and still checks all three. */
const brief = (problems: readonly ParseProblem[]) =>
  problems.map((problem) => [problem.mainBpmnElementId, problem.line, problem.message]);

const BPMN = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"';

describe('parseBpmn on XML it cannot read', () => {
  it('reports malformed XML at the position where the XML parser stopped', async () => {
    const { errors } = await problemsOf(readFixture('malformed.bpmn'));

    expect(errors).toEqual([
      {
        message: 'Malformed XML: closing tag mismatch at </bpmn:process>',
        line: 6,
        column: 3,
        mainBpmnElementId: null,
        bpmnElementIds: [],
      },
    ]);
  });

  it.each([
    ['an empty text', '', 'Malformed XML: missing start tag'],
    ['plain text', 'hello', 'Malformed XML: missing start tag'],
    [
      'an unterminated document',
      `<definitions ${BPMN}><process id="p">`,
      'Malformed XML: unexpected end of file',
    ],
    ['another XML vocabulary', '<invoice />', 'Not a BPMN 2.0 definitions document'],
  ])('refuses %s as not BPMN', async (_what, xml, message) => {
    const { errors } = await problemsOf(xml);

    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(message);
  });

  it('refuses a duplicate id at the line of the second element', async () => {
    const { errors } = await problemsOf(readFixture('duplicate-ids.bpmn'));

    expect(errors).toEqual([
      {
        message: 'Could not read <bpmn:userTask>: duplicate ID <twin>',
        line: 8,
        column: 5,
        mainBpmnElementId: 'twin',
        bpmnElementIds: ['twin'],
      },
    ]);
  });

  it('refuses unknown BPMN elements but only warns about foreign ones and unknown camunda attributes', async () => {
    const xml = [
      `<definitions ${BPMN} xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:x="urn:x" targetNamespace="t">`,
      '  <process id="p" isExecutable="true">',
      '    <startEvent id="start" camunda:asignee="typo" />',
      '    <userTask id="work"><x:note /></userTask>',
      '    <superTask id="future" />',
      '  </process>',
      '</definitions>',
    ].join('\n');

    const { errors, warnings } = await problemsOf(xml);

    expect(brief(errors)).toEqual([
      ['future', 5, 'Could not read <superTask>: unknown type <bpmn:SuperTask>'],
    ]);
    expect(brief(warnings)).toEqual([
      ['start', 3, 'unknown attribute <camunda:asignee>'],
      ['work', 4, 'Could not read <x:note>: unrecognized element <x:note>'],
    ]);
    expect(warnings[1]!.column).toBe(25);
  });

  it('reports unreadable content without an id against its element and keeps checking that element', async () => {
    const xml = [
      `<definitions ${BPMN} targetNamespace="t">`,
      '  <process id="p" isExecutable="true">',
      '    <startEvent id="start" />',
      '    <sequenceFlow id="toSub" sourceRef="start" targetRef="sub" />',
      '    <subProcess id="sub">',
      '      <startEvent id="subStart" />',
      '      <futureThing />',
      '      <sequenceFlow id="loop" sourceRef="subStart" targetRef="sub" />',
      '    </subProcess>',
      '  </process>',
      '</definitions>',
    ].join('\n');

    const { errors } = await problemsOf(xml);

    expect(brief(errors)).toEqual([
      ['sub', 7, 'Could not read <futureThing>: unknown type <bpmn:FutureThing>'],
      [
        'loop',
        8,
        "Invalid destination 'sub' of sequence flow 'loop': the flow is in scope 'sub' but 'sub' is in scope 'p'; " +
          'sequence flows cannot cross sub-process boundaries',
      ],
    ]);
  });
});
