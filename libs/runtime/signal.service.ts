import type { DataSource } from 'typeorm';
import { BadUserRequestException, NotFoundException, type VariableMap } from '@libs/engine';
import { EventSubscriptionRepository, sqlOf } from '@libs/persistence';
import type { RuntimeService } from './runtime.service';

/** `POST /signal`: a signal for every subscription (or one execution's), and the instances it starts. */
export interface SignalCommand {
  readonly name: string;
  readonly executionId?: string;
  readonly variables?: VariableMap;
  /** `undefined`: every tenant; `null` (`withoutTenantId`): only without tenant; a text: that tenant. */
  readonly tenantId?: string | null;
}

/**
 * Signals from outside (Camunda's `SignalEventReceivedCmd`): without an execution, every waiting signal
 * subscription of that name receives it and every latest, active definition with such a signal start
 * event starts an instance; with an execution, only that execution's subscriptions do.
 */
export class SignalService {
  private readonly subscriptions = new EventSubscriptionRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: RuntimeService,
  ) {}

  /**
   * @throws BadUserRequestException ENGINE-13027 for an execution with a tenant (or `withoutTenantId`);
   * NotFoundException when the execution does not exist or has not subscribed to the signal.
   */
  async throwSignal(command: SignalCommand): Promise<void> {
    if (command.executionId === undefined) {
      await this.runtime.broadcastSignal({
        signalName: command.name,
        variables: command.variables,
        tenantId: command.tenantId,
      });
      return;
    }
    if (command.tenantId !== undefined) {
      throw new BadUserRequestException(
        'ENGINE-13027 Cannot specify a tenant-id when deliver a signal to a single execution.',
      );
    }
    const sql = sqlOf(this.dataSource);
    const signal = {
      signalName: command.name,
      executionId: command.executionId,
      variables: command.variables,
    };
    const [instanceId] = await this.subscriptions.signalReceivers(sql, signal);
    if (instanceId === undefined) {
      if (!(await this.subscriptions.executionExists(sql, command.executionId))) {
        throw new NotFoundException(
          `Cannot find execution with id '${command.executionId}': execution is null`,
        );
      }
      throw new NotFoundException(
        `Execution '${command.executionId}' has not subscribed to a signal event with name '${command.name}'.`,
      );
    }
    await this.runtime.broadcastSignal(signal);
  }
}
