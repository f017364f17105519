import type { DataSource } from 'typeorm';
import { processStartEvents, type ProcessModel } from '@libs/bpmn';
import {
  ProcessEngineException,
  startConditionHolds,
  type ProcessInstanceState,
  type VariableMap,
} from '@libs/engine';
import {
  ProcessDefinitionRepository,
  sqlOf,
  StartEventRepository,
  type ProcessDefinitionRecord,
} from '@libs/persistence';
import type { RuntimeService } from './runtime.service';

/** `POST /condition` (Camunda's `ConditionEvaluationBuilder.evaluateStartConditions`). */
export interface EvaluateConditionCommand {
  readonly variables: VariableMap;
  readonly businessKey?: string;
  /** Only this definition (any version); otherwise the latest version of every key. */
  readonly processDefinitionId?: string;
  /** `undefined`: every tenant; `null`: definitions without tenant; a text: that tenant's. */
  readonly tenantId?: string | null;
}

/** A conditional start event whose condition holds: the definition to start, through that event. */
interface StartTarget {
  readonly definition: ProcessDefinitionRecord;
  readonly startEventId: string;
}

/**
 * Process-level conditional start events: the conditions of the latest definitions' conditional start
 * events (or of one definition's) are evaluated over the given variables alone, and an instance is
 * started through every start event whose condition holds, with these variables and business key.
 */
export class ConditionService {
  private readonly startEvents = new StartEventRepository();
  private readonly definitions = new ProcessDefinitionRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: RuntimeService,
  ) {}

  /**
   * Starts an instance through every conditional start event that holds and returns them (right after
   * their start). Suspended definitions are skipped; an unknown definition id starts nothing.
   * @throws ProcessEngineException ENGINE-13042 when the given definition declares no conditional
   * start event; ENGINE-13043 when no latest definition in scope has one.
   */
  async evaluateStartConditions(command: EvaluateConditionCommand): Promise<ProcessInstanceState[]> {
    const targets =
      command.processDefinitionId === undefined
        ? await this.latestTargets(command)
        : await this.definitionTargets(command.processDefinitionId, command.variables);
    const started: ProcessInstanceState[] = [];
    for (const target of targets) {
      const [instance] = await this.runtime.start(target.definition, [
        {
          businessKey: command.businessKey ?? null,
          variables: command.variables,
          startEventId: target.startEventId,
        },
      ]);
      started.push(instance!);
    }
    return started;
  }

  private async latestTargets(command: EvaluateConditionCommand): Promise<StartTarget[]> {
    const sql = sqlOf(this.dataSource);
    const events = await this.startEvents.latestConditional(sql, { tenantId: command.tenantId });
    if (events.length === 0) {
      throw new ProcessEngineException(
        'ENGINE-13043 No subscriptions were found during evaluation of the conditional start events.',
      );
    }
    const targets: StartTarget[] = [];
    for (const event of events.filter((candidate) => !candidate.suspended)) {
      const definition = await this.definitions.find(sql, event.definitionId);
      if (definition === undefined) continue;
      const model = await this.runtime.model(definition.id);
      if (holds(model, event.activityId, command.variables)) {
        targets.push({ definition, startEventId: event.activityId });
      }
    }
    return targets;
  }

  private async definitionTargets(definitionId: string, variables: VariableMap): Promise<StartTarget[]> {
    const definition = await this.definitions.find(sqlOf(this.dataSource), definitionId);
    if (definition === undefined || definition.suspended) return [];
    const model = await this.runtime.model(definition.id);
    const starts = conditionalStartEvents(model);
    if (starts.length === 0) {
      throw new ProcessEngineException(
        `ENGINE-13042 Process definition with id '${definitionId}' does not declare conditional start event.`,
      );
    }
    return starts
      .filter((id) => holds(model, id, variables))
      .map((startEventId) => ({ definition, startEventId }));
  }
}

function conditionalStartEvents(model: ProcessModel): string[] {
  return processStartEvents(model)
    .filter((event) => event.trigger?.type === 'conditional')
    .map((event) => event.id);
}

function holds(model: ProcessModel, startEventId: string, variables: VariableMap): boolean {
  const event = model.nodes.get(startEventId);
  return (
    event?.kind === 'startEvent' &&
    event.trigger?.type === 'conditional' &&
    startConditionHolds(event.trigger, variables)
  );
}
