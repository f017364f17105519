/** What a batch does, for people: a one-line summary and the plan or instructions line by line. */
export interface BatchDescription {
  readonly summary: string;
  readonly details: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const first = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '?') : '?');

/** One modification instruction as text: `startBeforeActivity taskB`, `cancel taskA (all)`. */
function instructionText(instruction: Json): string {
  const target =
    instruction.activityId ??
    instruction.transitionId ??
    instruction.activityInstanceId ??
    instruction.transitionInstanceId;
  const all = instruction.cancelCurrentActiveActivityInstances === true ? ' (current instances)' : '';
  return `${String(instruction.type)} ${String(target ?? '')}${all}`.trim();
}

const describers: Record<string, (configuration: Json) => BatchDescription> = {
  'instance-migration': (configuration) => {
    const plan = isObject(configuration.migrationPlan) ? configuration.migrationPlan : {};
    const instructions = list(plan.instructions);
    const flags = [
      configuration.skipListeners === true ? 'skip listeners' : '',
      configuration.skipIoMappings === true ? 'skip I/O mappings' : '',
    ].filter(Boolean);
    return {
      summary: `${String(plan.sourceProcessDefinitionId)} → ${String(plan.targetProcessDefinitionId)}`,
      details: [
        ...instructions.map(
          (instruction) =>
            `${first(instruction.sourceActivityIds)} → ${first(instruction.targetActivityIds)}${instruction.updateEventTrigger === true ? ' (update event trigger)' : ''}`,
        ),
        ...(isObject(plan.variables) ? [`variables: ${Object.keys(plan.variables).join(', ')}`] : []),
        ...flags,
      ],
    };
  },
  'instance-modification': (configuration) => {
    const instructions = list(configuration.instructions).map(instructionText);
    return {
      summary: `${instructions.join(', ')} on ${String(configuration.processDefinitionId)}`,
      details: instructions,
    };
  },
  'instance-update-suspension-state': (configuration) => ({
    summary: configuration.suspended === true ? 'suspend instances' : 'activate instances',
    details: [],
  }),
  'set-job-retries': (configuration) => {
    const due =
      configuration.dueDate === null
        ? ', due now'
        : typeof configuration.dueDate === 'string'
          ? `, due ${configuration.dueDate}`
          : '';
    return { summary: `set retries to ${String(configuration.retries)}${due}`, details: [] };
  },
  'instance-deletion': (configuration) => ({
    summary: `delete instances${typeof configuration.deleteReason === 'string' ? `: ${configuration.deleteReason}` : ''}`,
    details: [],
  }),
};

/**
 * Describes a batch from its stored configuration (the JSON its type keeps). Read leniently: a
 * description never fails, a configuration it does not know gives its fields as text.
 */
export function describeBatch(type: string, configuration: string | null): BatchDescription {
  if (configuration === null) return { summary: type, details: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(configuration);
  } catch {
    return { summary: type, details: [] };
  }
  if (!isObject(parsed)) return { summary: type, details: [] };
  const describe = describers[type];
  if (describe) return describe(parsed);
  const details = Object.entries(parsed).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  return { summary: details.join(', ') || type, details };
}
