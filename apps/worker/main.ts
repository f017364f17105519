import { runProcess } from '../common/process';
import { startMetricsServer } from './metrics-server';
import { startWorker } from './worker';

void runProcess('worker', async (infrastructure, services) => [
  ...(await startMetricsServer(infrastructure)),
  ...(await startWorker(infrastructure, services)),
]);
