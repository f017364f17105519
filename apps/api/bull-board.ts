import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

/** Where the dashboard is served. */
export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board over the service's queues: live counts per state, and failed jobs with their reasons.
 * Read-only, because MySQL is the record: retrying or removing batch work goes through the REST API.
 */
export function bullBoardRouter(queues: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter,
    options: {
      // Batch failures live in MySQL, not in the failed tabs: the console shows them, grouped by reason.
      uiConfig: { boardTitle: 'batch-ops queues', miscLinks: [{ text: 'Batch console', url: '/console' }] },
    },
  });
  return serverAdapter.getRouter() as Router;
}
