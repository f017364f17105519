import camundaDescriptor from 'camunda-bpmn-moddle/resources/camunda.json';
import { CAMUNDA_ATTRIBUTES, CAMUNDA_EXTENSION_ELEMENTS } from './camunda-extensions';
import { parseBpmn } from './index';

const process = (body: string, processAttributes = '') => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">
  <process id="p" isExecutable="true"${processAttributes}>
    <startEvent id="start" />
${body}
  </process>
</definitions>`;

async function warningsOf(xml: string): Promise<Array<{ message: string; element: string | null }>> {
  const result = await parseBpmn(xml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.warnings.map((warning) => ({ message: warning.message, element: warning.mainBpmnElementId }));
}

describe('warnings about Camunda extensions this service does not act on', () => {
  it('names the element, the extension and the reason of each ignored attribute and extension element', async () => {
    const warnings = await warningsOf(
      process(
        `    <serviceTask id="charge" camunda:class="com.acme.Charge" />
    <userTask id="review" camunda:assignee="demo" camunda:formKey="embedded:app:review.html">
      <extensionElements>
        <camunda:taskListener event="create" class="com.acme.Notify" />
        <camunda:properties><camunda:property name="team" value="a" /></camunda:properties>
      </extensionElements>
    </userTask>
    <sequenceFlow id="f1" sourceRef="start" targetRef="charge">
      <extensionElements><camunda:executionListener event="take" expression="\${x}" /></extensionElements>
    </sequenceFlow>
    <sequenceFlow id="f2" sourceRef="charge" targetRef="review" />`,
        ' camunda:candidateStarterGroups="sales" camunda:versionTag="1.0"',
      ),
    );
    expect(warnings).toEqual([
      {
        message:
          "camunda:candidateStarterGroups on <process> 'p' is ignored: no authorization checks (as in Camunda with authorization off): anyone may start it; the startableBy filter is not offered",
        element: 'p',
      },
      {
        message: expect.stringMatching(/^camunda:class on <serviceTask> 'charge' is ignored: Java delegates/),
        element: 'charge',
      },
      {
        message: expect.stringMatching(/^camunda:formKey on <userTask> 'review' is ignored: forms belong/),
        element: 'review',
      },
      {
        message: expect.stringMatching(/^<camunda:taskListener> on <userTask> 'review' is ignored: /),
        element: 'review',
      },
      {
        message: expect.stringMatching(/^<camunda:executionListener> on <sequenceFlow> 'f1' is ignored: /),
        element: 'f1',
      },
    ]);
  });

  it('says nothing about supported extensions and metadata', async () => {
    const warnings = await warningsOf(
      process(
        `    <userTask id="review" camunda:assignee="demo" camunda:candidateGroups="a" camunda:dueDate="P1D" camunda:priority="10" camunda:modelerTemplate="t">
      <extensionElements><camunda:properties><camunda:property name="team" value="a" /></camunda:properties></extensionElements>
    </userTask>
    <serviceTask id="work" camunda:type="external" camunda:topic="work" camunda:taskPriority="5" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="work" />`,
        ' camunda:versionTag="1.0" camunda:historyTimeToLive="30" camunda:taskPriority="7"',
      ),
    );
    expect(warnings).toEqual([]);
  });

  it('finds extensions inside sub-processes and on conditions', async () => {
    const warnings = await warningsOf(
      process(`    <subProcess id="sub">
      <startEvent id="subStart" />
      <scriptTask id="script" scriptFormat="groovy" camunda:resultVariable="r"><script>1</script></scriptTask>
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="script" />
    </subProcess>
    <sequenceFlow id="f1" sourceRef="start" targetRef="sub" />`),
    );
    expect(warnings).toEqual([
      {
        message:
          "camunda:resultVariable on <scriptTask> 'script' is ignored: scripts do not run here: the script task completes at once",
        element: 'script',
      },
      {
        message:
          "The script of <scriptTask> 'script' is ignored: scripts do not run here, the task completes at once",
        element: 'script',
      },
    ]);
  });

  it('says that a service task without an implementation it runs completes at once', async () => {
    const warnings = await warningsOf(
      process(`    <serviceTask id="bare" />
    <sendTask id="external" camunda:type="external" camunda:topic="mail" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="bare" />
    <sequenceFlow id="f2" sourceRef="bare" targetRef="external" />`),
    );
    expect(warnings).toEqual([
      {
        message: expect.stringMatching(
          /^<serviceTask> 'bare' has no implementation this service runs .*: it completes at once$/,
        ),
        element: 'bare',
      },
    ]);
  });
});

/** Every extension camunda-bpmn-moddle can read has a row: nothing new can slip through unlisted. */
describe('the registry of Camunda extensions', () => {
  interface Type {
    name: string;
    isAbstract?: boolean;
    extends?: string[];
    properties?: Array<{ name: string; isAttr?: boolean }>;
    meta?: { allowedIn?: string[] };
  }
  const types = (camundaDescriptor as { types: Type[] }).types;
  const localName = (name: string) => name.slice(name.indexOf(':') + 1);

  it('has a row for every attribute the Camunda descriptor adds to BPMN elements', () => {
    const extending = types
      .filter((type) => type.extends !== undefined)
      .flatMap((type) => (type.properties ?? []).filter((property) => property.isAttr))
      .map((property) => localName(property.name));
    expect(extending.length).toBeGreaterThan(20);
    expect([...new Set(extending)].filter((name) => !(name in CAMUNDA_ATTRIBUTES))).toEqual([]);
  });

  it('has a row for every element the Camunda descriptor allows in extensionElements', () => {
    const allowed = types
      .filter((type) => type.meta?.allowedIn !== undefined)
      .map((type) => `camunda:${type.name}`);
    expect(allowed.length).toBeGreaterThan(5);
    expect(allowed.filter((type) => !(type in CAMUNDA_EXTENSION_ELEMENTS))).toEqual([]);
  });
});
