/**
 * Call activities (reference constructs §4.1). Entering one resolves what to call (element key,
 * binding, version or version tag, tenant, business key) and the `camunda:in` variables on the call
 * activity instance, after its input mappings, and emits `callActivityStarted`: the shell starts the
 * called instance in the same transaction. The instance then waits (with its boundary events) until
 * the shell reports the called instance's end (`completeCallActivity`), whose `camunda:out` variables
 * are evaluated over the called instance's variables.
 */
import type { CallActivity, CallVariableMapping } from '@libs/bpmn';
import { assertNever } from '@libs/bpmn';
import type { EngineRun } from './engine-run';
import { ProcessEngineException } from '../errors';
import { evaluateCompiledWith, evaluateText } from './expressions';
import { expressionValue } from './io-mappings';
import type { ActivityInstance } from '../state/instance-state';
import { plainValueOf, typedValueOf, type TypedValue, type VariableMap } from '../state/typed-value';
import { localVariable, visibleVariable } from '../state/variables';

const NULL_VALUE: TypedValue = { type: 'Null', value: null };

/** Resolves the call of `node` for its fresh `instance` and asks the shell to start it. */
export function startCallActivity(run: EngineRun, instance: ActivityInstance, node: CallActivity): void {
  const text = (source: string): string => String(evaluateText(run, source, instance.id));
  const businessKey = node.businessKey === null ? null : evaluateText(run, node.businessKey, instance.id);
  run.emit({
    type: 'callActivityStarted',
    processInstanceId: run.draft.header.id,
    activityInstanceId: instance.id,
    activityId: node.id,
    calledElement: text(node.calledElement),
    binding: node.binding,
    version: node.binding === 'version' && node.version !== null ? versionOf(text(node.version)) : null,
    versionTag: node.binding === 'versionTag' && node.versionTag !== null ? text(node.versionTag) : null,
    tenantId: node.tenantId === null ? run.draft.header.tenantId : text(node.tenantId),
    businessKey: businessKey === null || businessKey === undefined ? null : String(businessKey),
    variables: inVariables(run, instance, node.inputs),
    time: run.now,
  });
}

/** Camunda reads the version as an Integer. */
function versionOf(text: string): number {
  const version = Number(text);
  if (!Number.isInteger(version)) {
    throw new ProcessEngineException(`Cannot resolve the called element version '${text}': not an integer`);
  }
  return version;
}

/** The `camunda:in` variables, read from the call activity instance (`local`: its own variables only). */
function inVariables(
  run: EngineRun,
  instance: ActivityInstance,
  mappings: readonly CallVariableMapping[],
): VariableMap {
  const variables: Record<string, TypedValue> = {};
  for (const mapping of mappings) {
    switch (mapping.kind) {
      case 'all':
        Object.assign(
          variables,
          mapping.local ? localVariables(run, instance.id) : visibleFrom(run, instance.id),
        );
        break;
      case 'source': {
        const variable = mapping.local
          ? localVariable(run.draft, instance.id, mapping.source)
          : visibleVariable(run.draft, instance.id, mapping.source);
        variables[mapping.target] = variable?.value ?? NULL_VALUE;
        break;
      }
      case 'expression':
        variables[mapping.target] = expressionValue(run, mapping.expression, instance.id);
        break;
      default:
        assertNever(mapping);
    }
  }
  return variables;
}

function localVariables(run: EngineRun, scopeId: string): Record<string, TypedValue> {
  const variables: Record<string, TypedValue> = {};
  for (const variable of run.draft.variables.ownedBy(scopeId)) variables[variable.name] = variable.value;
  return variables;
}

/** Every variable visible from `scopeId`, the nearest scope winning. */
function visibleFrom(run: EngineRun, scopeId: string): Record<string, TypedValue> {
  const variables: Record<string, TypedValue> = {};
  for (const scope of run.draft.ancestry(scopeId).reverse()) {
    Object.assign(variables, localVariables(run, scope.id));
  }
  return variables;
}

/**
 * The `camunda:out` variables of a call activity, evaluated over the variables of the called instance
 * (its process variables when it ended): `all` copies them, `source` copies one (Null when absent),
 * `sourceExpression` evaluates against them (exactly `${name}` keeps the typed value).
 * @returns the variables to set with propagation (`shared`) and locally on the call activity (`local`).
 */
export function outVariables(
  mappings: readonly CallVariableMapping[],
  called: VariableMap,
): { readonly shared: VariableMap; readonly local: VariableMap } {
  const shared: Record<string, TypedValue> = {};
  const local: Record<string, TypedValue> = {};
  const resolve = (name: string): unknown => {
    const value = called[name];
    return value === undefined ? undefined : plainValueOf(value);
  };
  for (const mapping of mappings) {
    const into = mapping.local ? local : shared;
    switch (mapping.kind) {
      case 'all':
        Object.assign(into, called);
        break;
      case 'source':
        into[mapping.target] = called[mapping.source] ?? NULL_VALUE;
        break;
      case 'expression': {
        const [part, ...rest] = mapping.expression.parts;
        const copied =
          part?.kind === 'eval' && rest.length === 0 && part.node.kind === 'identifier'
            ? called[part.node.name]
            : undefined;
        into[mapping.target] = copied ?? typedValueOf(evaluateCompiledWith(mapping.expression, resolve));
        break;
      }
      default:
        assertNever(mapping);
    }
  }
  return { shared, local };
}
