import { InvalidRequestException } from '@libs/http';
import type { Services } from '../common/services';
import {
  EXECUTION_SORT_KEYS,
  executionDto,
  executionDtoSchema,
  readExecutionQuery,
  readExecutionQueryBody,
} from './dto/execution.dto';
import { mountQueryEndpoints } from './query-endpoints';
import { ApiRouter } from './openapi/api-router';

/**
 * `/execution`: the executions of running instances (each instance's own, and one per activity
 * instance below it), for clients that walk executions.
 */
export function executionRoutes({ runtime }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Execution' });
  mountQueryEndpoints(router, {
    resource: 'executions',
    item: executionDtoSchema,
    sortKeys: EXECUTION_SORT_KEYS,
    fromParams: readExecutionQuery,
    fromBody: readExecutionQueryBody,
    list: (query, page, sorting) => runtime.queryExecutions(query, page, sorting),
    count: (query) => runtime.countExecutions(query),
    toDto: executionDto,
  });
  router.get(
    '/:id',
    { summary: 'Get an execution', responses: { 200: executionDtoSchema }, errors: [404] },
    async (req, res) => {
      const [execution] = await runtime.queryExecutions({ executionId: req.params.id });
      if (execution === undefined) {
        throw new InvalidRequestException(404, `Execution with id ${req.params.id} does not exist`);
      }
      res.json(executionDto(execution));
    },
  );
  return router;
}
