import { runProcess } from '../common/process';
import { startApi } from './api';

void runProcess('api', startApi);
