import { z } from 'zod';
import {
  authenticatedUserId,
  InvalidRequestException,
  parseRequest,
  QueryParams,
  readPage,
} from '@libs/http';
import type { Services } from '../common/services';
import { incidentDto, incidentDtoSchema, readIncidentQueryParams } from './dto/incident.dto';
import { storedText } from './dto/stored-fields';
import { ApiRouter } from './openapi/api-router';
import { countResultDto, jsonObject } from './openapi/schemas';

/** The body of `PUT /incident/{id}/annotation`: a missing or `null` annotation clears it, as in Camunda. */
const annotationSchema = z.object({ annotation: storedText.nullish() }).loose();

/**
 * `/incident`: open incidents (failed jobs), listed, counted and one by id, in Camunda's IncidentDto
 * shape, and their annotations.
 */
export function incidentRoutes({ incidents }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Incident' });
  router.get(
    '/',
    { summary: 'List incidents', responses: { 200: z.array(incidentDtoSchema) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const found = await incidents.query(readIncidentQueryParams(params), readPage(params));
      res.json(found.map(incidentDto));
    },
  );
  router.get(
    '/count',
    { summary: 'Count incidents', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      res.json({ count: await incidents.count(readIncidentQueryParams(QueryParams.of(req))) });
    },
  );
  router.get(
    '/:id',
    { summary: 'Get an incident', responses: { 200: incidentDtoSchema }, errors: [404] },
    async (req, res) => {
      const incident = await incidents.get(req.params.id);
      if (!incident) throw new InvalidRequestException(404, `No incident found with id '${req.params.id}'`);
      res.json(incidentDto(incident));
    },
  );
  router.put(
    '/:id/annotation',
    { summary: 'Annotate an incident', body: jsonObject, responses: { 204: null }, errors: [400, 404] },
    async (req, res) => {
      const { annotation } = parseRequest(annotationSchema, req.body ?? {});
      await incidents.setAnnotation(req.params.id, annotation ?? null, authenticatedUserId(res));
      res.status(204).end();
    },
  );
  router.delete(
    '/:id/annotation',
    { summary: "Clear an incident's annotation", responses: { 204: null }, errors: [400, 404] },
    async (req, res) => {
      await incidents.setAnnotation(req.params.id, null, authenticatedUserId(res));
      res.status(204).end();
    },
  );
  return router;
}
