import { Router } from 'express';
import { InvalidRequestException, QueryParams, readPage } from '@libs/http';
import type { Services } from '../common/services';
import { incidentDto, readIncidentQueryParams } from './dto/incident.dto';

/** `/incident`: open incidents (failed jobs), listed, counted and one by id, in Camunda's IncidentDto shape. */
export function incidentRoutes({ incidents }: Services): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const params = QueryParams.of(req);
    const found = await incidents.query(readIncidentQueryParams(params), readPage(params));
    res.json(found.map(incidentDto));
  });
  router.get('/count', async (req, res) => {
    res.json({ count: await incidents.count(readIncidentQueryParams(QueryParams.of(req))) });
  });
  router.get('/:id', async (req, res) => {
    const incident = await incidents.get(req.params.id);
    if (!incident) throw new InvalidRequestException(404, `No incident found with id '${req.params.id}'`);
    res.json(incidentDto(incident));
  });
  return router;
}
