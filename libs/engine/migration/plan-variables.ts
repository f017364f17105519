/**
 * The variables of a migration plan: REST values read into typed values once per plan. A Java
 * serialized object is a validation failure (Camunda's text, reported per variable); any other value
 * that does not convert is a bad request, as in Camunda's REST layer.
 */
import { fromRestVariable, type RestVariableValue } from '../state/rest-variables';
import type { TypedValue, VariableMap } from '../state/typed-value';
import type { MigrationVariableValidationReport } from './migration-reports';

const JAVA_SERIALIZATION = 'application/x-java-serialized-object';

/** The typed variables of a plan and the reports of those that cannot be set. */
export interface PlanVariables {
  readonly values: VariableMap;
  readonly reports: Readonly<Record<string, MigrationVariableValidationReport>>;
}

/**
 * Reads plan variables.
 * @throws InvalidVariableValueException for an unsupported type or a value that does not fit its type.
 */
export function readPlanVariables(
  variables: Readonly<Record<string, RestVariableValue>> | null | undefined,
): PlanVariables {
  const values: Record<string, TypedValue> = {};
  const reports: Record<string, MigrationVariableValidationReport> = {};
  for (const [name, dto] of Object.entries(variables ?? {})) {
    if (isJavaSerialized(dto)) {
      reports[name] = {
        type: dto.type ?? null,
        value: dto.value ?? null,
        valueInfo: dto.valueInfo ?? {},
        failures: [`Cannot set variable with name ${name}. Java serialization format is prohibited`],
      };
      continue;
    }
    values[name] = fromRestVariable(dto);
  }
  return { values, reports };
}

function isJavaSerialized(dto: RestVariableValue): boolean {
  const type = dto.type ?? '';
  return (
    (type === 'Object' || type === 'object') &&
    dto.valueInfo?.['serializationDataFormat'] === JAVA_SERIALIZATION
  );
}
