import { runProcess } from '../common/process';
import { startWorker } from './worker';

void runProcess('worker', startWorker);
