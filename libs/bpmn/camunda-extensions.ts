/**
 * Every Camunda extension a BPMN file can carry (the `camunda:*` attributes and extension elements that
 * camunda-bpmn-moddle knows), and what this service does with it. The README's "Supported BPMN" tables
 * are checked against this registry, and deployment warns about each `ignored` extension it finds.
 */

/** What this service does with one extension. */
export type ExtensionSupport =
  /** Read and acted upon as Camunda does. */
  | { readonly support: 'supported' }
  /** Kept in the XML only; Camunda gives it no behaviour either (modeler and application metadata). */
  | { readonly support: 'metadata' }
  /** Accepted but not acted upon: deployment answers a warning with the reason. */
  | { readonly support: 'ignored'; readonly reason: string }
  /** Only meaningful on elements this service refuses at deployment (see the elements table). */
  | { readonly support: 'refused element'; readonly on: string };

const SUPPORTED: ExtensionSupport = { support: 'supported' };
const METADATA: ExtensionSupport = { support: 'metadata' };
const ignored = (reason: string): ExtensionSupport => ({ support: 'ignored', reason });
const refusedElement = (on: string): ExtensionSupport => ({ support: 'refused element', on });

const NO_DELEGATES =
  'Java delegates, expressions and connectors do not run here: the task completes at once (use camunda:type="external" for work done by a worker)';
const NO_FORMS = 'forms belong to a task-list application: no form is stored or served';
const NO_STARTERS =
  'no authorization checks (as in Camunda with authorization off): anyone may start it; the startableBy filter is not offered';
const CASE_CALLS = 'call activities with camunda:caseRef (CMMN cases)';
const JAVA_MAPPINGS =
  'Java variable mappings of call activities do not run here: only camunda:in and camunda:out map variables';
const NO_LISTENERS = 'execution and task listeners do not run here (as with skipCustomListeners)';

/**
 * Camunda's extension attributes, by name; `name@bpmn:Type` overrides the row for one owner type.
 * A test keeps this in step with camunda-bpmn-moddle's descriptor: every attribute it knows is here.
 */
export const CAMUNDA_ATTRIBUTES: Readonly<Record<string, ExtensionSupport>> = {
  async: SUPPORTED,
  asyncBefore: SUPPORTED,
  asyncAfter: SUPPORTED,
  exclusive: SUPPORTED,
  jobPriority: SUPPORTED,
  'async@bpmn:SignalEventDefinition': SUPPORTED,
  errorCodeVariable: SUPPORTED,
  errorMessageVariable: SUPPORTED,
  escalationCodeVariable: SUPPORTED,
  errorMessage: SUPPORTED,
  formHandlerClass: ignored(NO_FORMS),
  formKey: ignored(NO_FORMS),
  formRef: ignored(NO_FORMS),
  formRefBinding: ignored(NO_FORMS),
  formRefVersion: ignored(NO_FORMS),
  modelerTemplate: METADATA,
  modelerTemplateVersion: METADATA,
  diagramRelationId: METADATA,
  initiator: SUPPORTED,
  resultVariable: ignored(NO_DELEGATES),
  'resultVariable@bpmn:ScriptTask': ignored('scripts do not run here: the script task completes at once'),
  resource: ignored('scripts do not run here: the script task completes at once'),
  'resource@bpmn:FormalExpression': ignored(
    'conditions are read from the element text only: an external resource is not loaded',
  ),
  candidateStarterGroups: ignored(NO_STARTERS),
  candidateStarterUsers: ignored(NO_STARTERS),
  versionTag: SUPPORTED,
  historyTimeToLive: SUPPORTED,
  isStartableInTasklist: SUPPORTED,
  assignee: SUPPORTED,
  candidateUsers: SUPPORTED,
  candidateGroups: SUPPORTED,
  dueDate: SUPPORTED,
  priority: SUPPORTED,
  followUpDate: SUPPORTED,
  calledElementBinding: SUPPORTED,
  calledElementVersion: SUPPORTED,
  calledElementVersionTag: SUPPORTED,
  calledElementTenantId: SUPPORTED,
  caseRef: refusedElement(CASE_CALLS),
  caseBinding: refusedElement(CASE_CALLS),
  caseVersion: refusedElement(CASE_CALLS),
  caseTenantId: refusedElement(CASE_CALLS),
  variableMappingClass: ignored(JAVA_MAPPINGS),
  variableMappingDelegateExpression: ignored(JAVA_MAPPINGS),
  expression: ignored(NO_DELEGATES),
  class: ignored(NO_DELEGATES),
  delegateExpression: ignored(NO_DELEGATES),
  decisionRef: ignored('DMN decisions are not evaluated here: the task completes at once'),
  decisionRefBinding: ignored('DMN decisions are not evaluated here: the task completes at once'),
  decisionRefVersion: ignored('DMN decisions are not evaluated here: the task completes at once'),
  mapDecisionResult: ignored('DMN decisions are not evaluated here: the task completes at once'),
  decisionRefTenantId: ignored('DMN decisions are not evaluated here: the task completes at once'),
  type: SUPPORTED,
  topic: SUPPORTED,
  taskPriority: SUPPORTED,
  // On multiInstanceLoopCharacteristics, asyncBefore/asyncAfter/exclusive (rows above) are the inner activity's.
  collection: SUPPORTED,
  elementVariable: SUPPORTED,
  variableName: SUPPORTED,
  variableEvents: SUPPORTED,
};

/**
 * Camunda's extension elements (inside `<extensionElements>`), by moddle type. A test keeps this in
 * step with camunda-bpmn-moddle's descriptor.
 */
export const CAMUNDA_EXTENSION_ELEMENTS: Readonly<Record<string, ExtensionSupport>> = {
  'camunda:ExecutionListener': ignored(NO_LISTENERS),
  'camunda:TaskListener': ignored(NO_LISTENERS),
  'camunda:InputOutput': SUPPORTED,
  'camunda:Properties': METADATA,
  'camunda:Field': ignored(NO_DELEGATES),
  'camunda:Connector': ignored(NO_DELEGATES),
  'camunda:FormData': ignored(NO_FORMS),
  'camunda:FormProperty': ignored(NO_FORMS),
  'camunda:FailedJobRetryTimeCycle': SUPPORTED,
  'camunda:ErrorEventDefinition': ignored(
    'error events are not supported: an external task cannot throw a BPMN error by expression',
  ),
  'camunda:In': SUPPORTED,
  'camunda:Out': SUPPORTED,
};

/** The row for attribute `name` on an element of moddle type `ownerType`. */
export function attributeSupport(name: string, ownerType: string): ExtensionSupport | undefined {
  return CAMUNDA_ATTRIBUTES[`${name}@${ownerType}`] ?? CAMUNDA_ATTRIBUTES[name];
}
