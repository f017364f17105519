import { type Request, type RequestHandler } from 'express';
import multer from 'multer';
import {
  formatDate,
  InvalidRequestException,
  longerThan,
  parseByteSize,
  QueryParams,
  readPage,
  readSorting,
  selfLink,
} from '@libs/http';
import {
  COLUMN_LIMITS,
  type DeploymentQuery,
  type DeploymentRecord,
  type DeploymentSortKey,
} from '@libs/persistence';
import type { Services } from '../common/services';
import { definitionDto } from './process-definition.routes';
import { z } from 'zod';
import { ApiRouter } from './openapi/api-router';
import { countResultDto, jsonObject } from './openapi/schemas';

/** Form parts of `POST /deployment/create` that are settings, not resources. */
const RESERVED_PARTS = new Set([
  'deployment-name',
  'deployment-activation-time',
  'deployment-source',
  'tenant-id',
  'enable-duplicate-filtering',
  'deploy-changed-only',
]);
const SORT_KEYS: readonly DeploymentSortKey[] = ['id', 'name', 'deploymentTime', 'tenantId'];

export function deploymentDto(req: Request, deployment: DeploymentRecord, base = req.baseUrl) {
  return {
    links: [selfLink(req, deployment.id, base)],
    id: deployment.id,
    name: deployment.name,
    source: deployment.source,
    deploymentTime: formatDate(deployment.deploymentTime),
    tenantId: deployment.tenantId,
  };
}

/** The multipart form of `POST /deployment/create`: the reserved fields and any number of files. */
const deploymentForm = z.looseObject({
  'deployment-name': z.string(),
  'deployment-source': z.string(),
  'deployment-activation-time': z.string(),
  'enable-duplicate-filtering': z.boolean(),
  'deploy-changed-only': z.boolean(),
  'tenant-id': z.string(),
  data: z
    .string()
    .meta({ format: 'binary', description: 'A BPMN file; any part name other than the fields.' }),
});

/** `/deployment`: create (multipart), list, count, get, delete. */
export function deploymentRoutes({ repository, runtime }: Services, bodyLimit: string): ApiRouter {
  const router = new ApiRouter({ tag: 'Deployment' });
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: parseByteSize(bodyLimit), fieldSize: 64 * 1024 },
  });

  router.post(
    '/create',
    {
      summary: 'Create a deployment',
      body: { multipart: deploymentForm },
      responses: { 200: jsonObject },
      errors: [400],
    },
    uploadOrRefuse(upload.any()),
    async (req, res) => {
      const fields = (req.body ?? {}) as Record<string, unknown>;
      const files = (req.files ?? []) as Express.Multer.File[];
      if (Object.keys(fields).some((name) => !RESERVED_PARTS.has(name))) {
        throw new InvalidRequestException(
          400,
          "No file name found in the deployment resource described by form parameter 'null'.",
        );
      }
      if (files.length === 0)
        throw new InvalidRequestException(400, 'No deployment resources contained in the form upload.');
      const result = await repository.deploy({
        name: textField(fields, 'deployment-name', COLUMN_LIMITS.name),
        source: textField(fields, 'deployment-source', COLUMN_LIMITS.name),
        tenantId: textField(fields, 'tenant-id', COLUMN_LIMITS.tenantId),
        enableDuplicateFiltering: booleanField(fields, 'enable-duplicate-filtering'),
        deployChangedOnly: booleanField(fields, 'deploy-changed-only'),
        resources: files.map((file) => ({ name: resourceName(file), content: file.buffer.toString('utf8') })),
      });
      const definitions = result.definitions;
      res.json({
        ...deploymentDto(req, result.deployment),
        deployedProcessDefinitions:
          definitions === null || definitions.length === 0
            ? null
            : Object.fromEntries(definitions.map((definition) => [definition.id, definitionDto(definition)])),
        deployedCaseDefinitions: null,
        deployedDecisionDefinitions: null,
        deployedDecisionRequirementsDefinitions: null,
        // Beyond Camunda: each BPMN resource's parse warnings (e.g. extensions accepted but not acted upon),
        // shaped like a ParseException's `details`.
        details: result.details,
      });
    },
  );

  router.get(
    '/',
    { summary: 'List deployments', responses: { 200: z.array(jsonObject) }, errors: [400] },
    async (req, res) => {
      const params = QueryParams.of(req);
      const deployments = await repository.queryDeployments(
        deploymentQuery(params),
        readPage(params),
        readSorting(params, SORT_KEYS),
      );
      res.json(deployments.map((deployment) => deploymentDto(req, deployment)));
    },
  );

  router.get(
    '/count',
    { summary: 'Count deployments', responses: { 200: countResultDto }, errors: [400] },
    async (req, res) => {
      res.json({ count: await repository.countDeployments(deploymentQuery(QueryParams.of(req))) });
    },
  );

  router.get(
    '/:id',
    { summary: 'Get a deployment', responses: { 200: jsonObject }, errors: [404] },
    async (req, res) => {
      const deployment = await repository.getDeployment(req.params.id);
      if (!deployment)
        throw new InvalidRequestException(404, `Deployment with id '${req.params.id}' does not exist`);
      res.json(deploymentDto(req, deployment));
    },
  );

  router.delete(
    '/:id',
    { summary: 'Delete a deployment', responses: { 204: null }, errors: [400, 404] },
    async (req, res) => {
      const params = QueryParams.of(req);
      if (
        !(await repository.deleteDeployment(req.params.id, {
          cascade: params.boolean('cascade') ?? false,
          runtime,
        }))
      ) {
        throw new InvalidRequestException(404, `Deployment with id '${req.params.id}' do not exist`);
      }
      res.status(204).end();
    },
  );

  return router;
}

function deploymentQuery(params: QueryParams): DeploymentQuery {
  return {
    id: params.string('id'),
    name: params.string('name'),
    nameLike: params.string('nameLike'),
    source: params.string('source'),
    withoutSource: params.boolean('withoutSource'),
    tenantIdIn: params.list('tenantIdIn'),
    withoutTenantId: params.boolean('withoutTenantId'),
    includeDeploymentsWithoutTenantId: params.boolean('includeDeploymentsWithoutTenantId'),
    after: params.date('after'),
    before: params.date('before'),
  };
}

/**
 * The multipart parser, with a malformed or truncated form (anything the parser itself rejects, as
 * opposed to a limit it enforces) answered as the caller's 400.
 */
function uploadOrRefuse(upload: RequestHandler): RequestHandler {
  return (req, res, next) => {
    upload(req, res, (error?: unknown) => {
      if (error === undefined || error === null || error instanceof multer.MulterError) {
        next(error);
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      next(new InvalidRequestException(400, `Invalid multipart upload: ${reason}`));
    });
  };
}

/** A text part of at most `maxLength` characters (the column it is stored in), or `null` when absent. */
function textField(fields: Record<string, unknown>, name: string, maxLength = Infinity): string | null {
  const value = fields[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string')
    throw new InvalidRequestException(400, `Form part '${name}' must be given once, as text`);
  if (longerThan(value, maxLength)) {
    throw new InvalidRequestException(
      400,
      `Form part '${name}' must be at most ${maxLength} characters long`,
    );
  }
  return value;
}

/** The file name of a resource part, which names the stored resource. */
function resourceName(file: Express.Multer.File): string {
  if (longerThan(file.originalname, COLUMN_LIMITS.name)) {
    throw new InvalidRequestException(
      400,
      `The file name of a deployment resource must be at most ${COLUMN_LIMITS.name} characters long`,
    );
  }
  return file.originalname;
}

function booleanField(fields: Record<string, unknown>, name: string): boolean {
  const value = textField(fields, name);
  if (value === null || value === 'false') return false;
  if (value === 'true') return true;
  throw new InvalidRequestException(400, `Form part '${name}' must be 'true' or 'false', not '${value}'`);
}
