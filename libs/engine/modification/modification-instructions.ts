/**
 * Modification instructions (reference §4.1, §11.1) as the engine reads them, and how Camunda
 * describes each one in "Cannot perform instruction: <description>; …" messages.
 */
import { assertNever } from '@libs/bpmn';
import { fromRestVariable, type RestVariableValue } from '../state/rest-variables';
import type { TypedValue, VariableMap } from '../state/typed-value';

/** A variable given with a start instruction: `local` sets it on the started activity instance. */
export interface ModificationVariable {
  readonly value: TypedValue;
  readonly local?: boolean;
}

export type ModificationVariables = Readonly<Record<string, ModificationVariable>>;

interface StartInstructionBase {
  /** Start below this activity instance, instantiating every scope in between (§11.2). */
  readonly ancestorActivityInstanceId?: string | null;
  readonly variables?: ModificationVariables | null;
}

export interface StartBeforeActivityInstruction extends StartInstructionBase {
  readonly type: 'startBeforeActivity';
  readonly activityId: string;
}

export interface StartAfterActivityInstruction extends StartInstructionBase {
  readonly type: 'startAfterActivity';
  readonly activityId: string;
}

export interface StartTransitionInstruction extends StartInstructionBase {
  readonly type: 'startTransition';
  readonly transitionId: string;
}

/**
 * Cancel every activity and transition instance of an activity (found when the instruction runs;
 * unknown ids do nothing).
 */
export interface CancelActivityInstruction {
  readonly type: 'cancel';
  readonly activityId: string;
  /**
   * Multi-instance endpoints only: expand into the activity and transition instances present before
   * any instruction runs (§11.8), so instances started by earlier instructions survive. Ignored by
   * `modifyInstance`.
   */
  readonly cancelCurrentActiveActivityInstances?: boolean | null;
}

export interface CancelActivityInstanceInstruction {
  readonly type: 'cancel';
  readonly activityInstanceId: string;
}

/** Cancel a pending asynchronous continuation; its id is its execution id (as in the tree). */
export interface CancelTransitionInstanceInstruction {
  readonly type: 'cancel';
  readonly transitionInstanceId: string;
}

export type CancelInstruction =
  CancelActivityInstruction | CancelActivityInstanceInstruction | CancelTransitionInstanceInstruction;

export type ModificationInstruction =
  | StartBeforeActivityInstruction
  | StartAfterActivityInstruction
  | StartTransitionInstruction
  | CancelInstruction;

/**
 * A start instruction of an instantiation (`startInstructions` of `POST /process-definition/…/start`,
 * Camunda's `ProcessInstantiationBuilder`): no ancestor (the new instance has only its root) and no
 * cancellation.
 */
export type InstantiationInstruction =
  | Omit<StartBeforeActivityInstruction, 'ancestorActivityInstanceId'>
  | Omit<StartAfterActivityInstruction, 'ancestorActivityInstanceId'>
  | Omit<StartTransitionInstruction, 'ancestorActivityInstanceId'>;

/** Camunda's `describe()` of the command behind an instruction. */
export function describeModification(instruction: ModificationInstruction): string {
  switch (instruction.type) {
    case 'startBeforeActivity':
      return `Start before activity '${instruction.activityId}'${ancestorSuffix(instruction)}`;
    case 'startAfterActivity':
      return `Start after activity '${instruction.activityId}'${ancestorSuffix(instruction)}`;
    case 'startTransition':
      return `Start transition '${instruction.transitionId}'${ancestorSuffix(instruction)}`;
    case 'cancel':
      return describeCancel(instruction);
    default:
      return assertNever(instruction);
  }
}

function describeCancel(instruction: CancelInstruction): string {
  if ('activityInstanceId' in instruction)
    return `Cancel activity instance '${instruction.activityInstanceId}'`;
  if ('transitionInstanceId' in instruction) {
    return `Cancel transition instance '${instruction.transitionInstanceId}'`;
  }
  return `Cancel all instances of activity '${instruction.activityId}'`;
}

function ancestorSuffix(instruction: StartInstructionBase): string {
  const ancestor = instruction.ancestorActivityInstanceId;
  return ancestor === undefined || ancestor === null ? '' : ` with ancestor activity instance '${ancestor}'`;
}

/** Splits instruction variables into those set with propagation and those set locally. */
export function splitVariables(variables: ModificationVariables | null | undefined): {
  readonly variables?: VariableMap;
  readonly localVariables?: VariableMap;
} {
  const global: Record<string, TypedValue> = {};
  const local: Record<string, TypedValue> = {};
  for (const [name, variable] of Object.entries(variables ?? {})) {
    (variable.local === true ? local : global)[name] = variable.value;
  }
  return {
    variables: Object.keys(global).length > 0 ? global : undefined,
    localVariables: Object.keys(local).length > 0 ? local : undefined,
  };
}

/** A REST `TriggerVariableValueDto` map (`{value, type, valueInfo, local}`), for the REST layer. */
export type RestTriggerVariables = Readonly<
  Record<string, RestVariableValue & { readonly local?: boolean | null }>
>;

/**
 * Reads REST instruction variables into {@link ModificationVariables}.
 * @throws InvalidVariableValueException as `fromRestVariable` does.
 */
export function fromRestTriggerVariables(
  dtos: RestTriggerVariables | null | undefined,
): ModificationVariables {
  const variables: Record<string, ModificationVariable> = {};
  for (const [name, dto] of Object.entries(dtos ?? {})) {
    variables[name] = { value: fromRestVariable(dto), local: dto.local === true };
  }
  return variables;
}
