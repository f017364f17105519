import { startWorker } from '../../apps/worker/worker';
import type { TestStack } from './test-stack';

/** Real BullMQ workers for a test stack (same database and queue prefix); returns a stop function. */
export async function startTestWorker(stack: TestStack): Promise<() => Promise<void>> {
  const components = await startWorker(stack.infrastructure, stack.services);
  return async () => {
    for (const component of [...components].reverse()) await component.stop();
  };
}
