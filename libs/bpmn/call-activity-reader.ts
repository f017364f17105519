/**
 * Reads a `<callActivity>` with Camunda's rules (`BpmnParse.parseCallActivity`, strict call-activity
 * validation): `calledElement` (a CMMN `camunda:caseRef` is refused: no CMMN here), the binding with
 * its version or version tag, the tenant id, and the `camunda:in` / `camunda:out` variable mappings
 * (with the `businessKey` of a `camunda:in`). Java variable mappings (`camunda:variableMappingClass`,
 * `camunda:variableMappingDelegateExpression`) are warned about and ignored: no Java code runs here.
 */
import type { BuildContext } from './build-context';
import { describeElement } from './event-definition-reader';
import { ExpressionSyntaxError, parseExpression } from './juel';
import type { CallActivity, CalledElementBinding, CallVariableMapping, FlowNodeBase } from './model';
import {
  elementName,
  readBoolean,
  readElement,
  readElements,
  readString,
  readText,
  type ModdleElement,
} from './moddle-element';

/** The fields every flow node shares (see `NodeBase` of the flow-node mapper). */
type Base = FlowNodeBase;

const BINDINGS: readonly CalledElementBinding[] = ['latest', 'deployment', 'version', 'versionTag'];

/** The call activity, or `null` after reporting why it cannot run. */
export function readCallActivity(
  element: ModdleElement,
  base: Base,
  context: BuildContext,
): CallActivity | null {
  const problems: string[] = [];
  const calledElement = readText(element, 'calledElement');
  const caseRef = readText(element, 'caseRef');
  if (caseRef !== null) {
    problems.push(
      `CMMN is not supported: ${describeElement({ element, id: base.id })} has a camunda:caseRef`,
    );
  } else if (calledElement === null) problems.push("Missing attribute 'calledElement' or 'caseRef'");
  const binding = readBinding(element);
  const version = readString(element, 'calledElementVersion');
  const versionTag = readString(element, 'calledElementVersionTag');
  if (binding === 'version' && version === null) {
    problems.push("Missing attribute 'calledElementVersion' when 'calledElementBinding' has value 'version'");
  }
  if (binding === 'versionTag' && versionTag === null) {
    problems.push(
      "Missing attribute 'calledElementVersionTag' when 'calledElementBinding' has value 'versionTag'",
    );
  }
  const extensions = readElement(element, 'extensionElements');
  const values = extensions === null ? [] : readElements(extensions, 'values');
  const ins = values.filter((value) => value.$type === 'camunda:In');
  const outs = values.filter((value) => value.$type === 'camunda:Out');
  let businessKey: string | null = null;
  const inputs: CallVariableMapping[] = [];
  for (const parameter of ins) {
    const key = readText(parameter, 'businessKey');
    if (key !== null) businessKey = key;
    else pushMapping(inputs, parameter, problems);
  }
  const outputs: CallVariableMapping[] = [];
  for (const parameter of outs) pushMapping(outputs, parameter, problems);
  for (const message of problems) context.problems.error(message, { elementId: base.id });
  if (problems.length > 0 || calledElement === null) return null;
  return {
    ...base,
    kind: 'callActivity',
    calledElement,
    binding,
    version: version?.trim() || null,
    versionTag: versionTag?.trim() || null,
    tenantId: readText(element, 'calledElementTenantId'),
    businessKey,
    inputs,
    outputs,
  };
}

/** Camunda ignores an unknown binding value (the default, `latest`, applies). */
function readBinding(element: ModdleElement): CalledElementBinding {
  const value = readText(element, 'calledElementBinding');
  return BINDINGS.find((binding) => binding === value) ?? 'latest';
}

/** Reads one `camunda:in`/`camunda:out` (without business key) into `mappings`, or reports why not. */
function pushMapping(mappings: CallVariableMapping[], parameter: ModdleElement, problems: string[]): void {
  const local = readBoolean(parameter, 'local') === true;
  if (readText(parameter, 'variables') === 'all') {
    mappings.push({ kind: 'all', local });
    return;
  }
  const where = `<camunda:${elementName(parameter)}>`;
  const source = readString(parameter, 'source');
  const sourceExpression = readString(parameter, 'sourceExpression');
  const target = readString(parameter, 'target');
  const before = problems.length;
  if (source === '') problems.push(`Empty attribute 'source' when passing variables (${where})`);
  else if (source === null && sourceExpression === '') {
    problems.push(`Empty attribute 'sourceExpression' when passing variables (${where})`);
  } else if (source === null && sourceExpression === null) {
    problems.push(`Missing parameter 'source' or 'sourceExpression' when passing variables (${where})`);
  }
  if (target === null) {
    problems.push(
      `Missing attribute 'target' when attribute 'source' or 'sourceExpression' is set (${where})`,
    );
  } else if (target === '') {
    problems.push(`Empty attribute 'target' when attribute 'source' or 'sourceExpression' is set (${where})`);
  }
  if (problems.length > before || target === null) return;
  if (source !== null) {
    mappings.push({ kind: 'source', source, target, local });
    return;
  }
  try {
    mappings.push({ kind: 'expression', expression: parseExpression(sourceExpression!), target, local });
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    problems.push(`${error.message} (${where} sourceExpression)`);
  }
}
