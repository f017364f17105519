import { Router } from 'express';
import { InvalidRequestException, QueryParams, readPage, readSorting } from '@libs/http';
import type { Services } from '../common/services';
import {
  HISTORIC_ACTIVITY_INSTANCE_SORT_KEYS,
  historicActivityInstanceDto,
  readHistoricActivityInstanceQuery,
} from './dto/historic-activity-instance.dto';
import {
  HISTORIC_PROCESS_INSTANCE_SORT_KEYS,
  historicProcessInstanceDto,
  readHistoricProcessInstanceQuery,
} from './dto/historic-process-instance.dto';

/** `/history`: process instances and activity instances, running and ended. */
export function historyRoutes({ history }: Services): Router {
  const router = Router();

  router.get('/process-instance', async (req, res) => {
    const params = QueryParams.of(req);
    const instances = await history.queryProcessInstances(
      readHistoricProcessInstanceQuery(params),
      readPage(params),
      readSorting(params, HISTORIC_PROCESS_INSTANCE_SORT_KEYS),
    );
    res.json(instances.map(historicProcessInstanceDto));
  });
  router.get('/process-instance/count', async (req, res) => {
    const query = readHistoricProcessInstanceQuery(QueryParams.of(req));
    res.json({ count: await history.countProcessInstances(query) });
  });
  router.get('/process-instance/:id', async (req, res) => {
    const instance = await history.getProcessInstance(req.params.id);
    if (!instance) {
      throw new InvalidRequestException(
        404,
        `Historic process instance with id ${req.params.id} does not exist`,
      );
    }
    res.json(historicProcessInstanceDto(instance));
  });

  router.get('/activity-instance', async (req, res) => {
    const params = QueryParams.of(req);
    const activities = await history.queryActivityInstances(
      readHistoricActivityInstanceQuery(params),
      readPage(params),
      readSorting(params, HISTORIC_ACTIVITY_INSTANCE_SORT_KEYS),
    );
    res.json(activities.map(historicActivityInstanceDto));
  });
  router.get('/activity-instance/count', async (req, res) => {
    const query = readHistoricActivityInstanceQuery(QueryParams.of(req));
    res.json({ count: await history.countActivityInstances(query) });
  });

  return router;
}
