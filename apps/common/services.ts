import { TimerQueue } from '@libs/queue';
import { JobService, ProcessModels, RepositoryService, RuntimeService } from '@libs/runtime';
import { HistoryService, MessageService } from '@libs/runtime';
import type { Infrastructure } from './infrastructure';

/** The services of the imperative shell, built once per process on its connections. */
export interface Services {
  readonly models: ProcessModels;
  readonly repository: RepositoryService;
  readonly runtime: RuntimeService;
  readonly jobs: JobService;
  readonly messages: MessageService;
  readonly history: HistoryService;
  readonly timerQueue: TimerQueue;
  close(): Promise<void>;
}

export function buildServices(infrastructure: Infrastructure): Services {
  const { dataSource, queues } = infrastructure;
  const models = new ProcessModels(dataSource);
  const timerQueue = new TimerQueue(queues);
  const runtime = new RuntimeService(dataSource, models, timerQueue);
  return {
    models,
    repository: new RepositoryService(dataSource, models),
    runtime,
    jobs: new JobService(dataSource, runtime, timerQueue),
    messages: new MessageService(dataSource, runtime),
    history: new HistoryService(dataSource),
    timerQueue,
    close: () => timerQueue.close(),
  };
}
