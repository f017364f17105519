import { startApi } from '../api/api';
import { runProcess } from '../common/process';
import { startWorker } from '../worker/worker';

/** API and worker in one process, for `npm start` on a laptop. The API stops first on shutdown. */
void runProcess('standalone', async (infrastructure, services) => [
  ...(await startWorker(infrastructure, services)),
  ...(await startApi(infrastructure, services)),
]);
