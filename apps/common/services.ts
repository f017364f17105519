import { TimerQueue } from '@libs/queue';
import { JobService, ProcessModels, RepositoryService, RuntimeService } from '@libs/runtime';
import { ExternalTaskService, TaskService } from '@libs/runtime';
import type { Infrastructure } from './infrastructure';

/** The services of the imperative shell, built once per process on its connections. */
export interface Services {
  readonly models: ProcessModels;
  readonly repository: RepositoryService;
  readonly runtime: RuntimeService;
  readonly jobs: JobService;
  readonly timerQueue: TimerQueue;
  readonly tasks: TaskService;
  readonly externalTasks: ExternalTaskService;
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
    timerQueue,
    tasks: new TaskService(dataSource, runtime),
    externalTasks: new ExternalTaskService(dataSource, runtime),
    close: () => timerQueue.close(),
  };
}
