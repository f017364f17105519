import type { Express } from 'express';
import request from 'supertest';

interface TreeNode {
  readonly activityId: string;
  readonly childActivityInstances: readonly TreeNode[];
}

/**
 * One process instance driven through the HTTP API, with its activity-instance tree summarised as
 * sorted paths of activity ids below the root (`['work/draft', 'work/review']`).
 */
export class Scenario {
  private constructor(
    private readonly app: Express,
    readonly id: string,
  ) {}

  static async start(
    app: Express,
    key: string,
    variables: Record<string, { value: unknown; type?: string }> = {},
  ): Promise<Scenario> {
    return Scenario.startAt(app, `key/${key}`, variables);
  }

  /** Starts an instance of the definition with id `definitionId` (not necessarily the latest). */
  static async startDefinition(
    app: Express,
    definitionId: string,
    variables: Record<string, { value: unknown; type?: string }> = {},
  ): Promise<Scenario> {
    return Scenario.startAt(app, definitionId, variables);
  }

  private static async startAt(
    app: Express,
    definitionPath: string,
    variables: Record<string, { value: unknown; type?: string }>,
  ): Promise<Scenario> {
    const response = await request(app)
      .post(`/engine-rest/process-definition/${definitionPath}/start`)
      .send({ variables })
      .expect(200);
    return new Scenario(app, response.body.id as string);
  }

  /** The waiting activities as paths, or `null` once the instance has ended. */
  async tree(): Promise<string[] | null> {
    const response = await request(this.app).get(
      `/engine-rest/process-instance/${this.id}/activity-instances`,
    );
    if (response.status === 404) return null;
    expect(response.status).toBe(200);
    const paths: string[] = [];
    const walk = (node: TreeNode, prefix: string) => {
      for (const child of node.childActivityInstances) {
        const path = prefix ? `${prefix}/${child.activityId}` : child.activityId;
        if (child.childActivityInstances.length === 0) paths.push(path);
        walk(child, path);
      }
    };
    walk(response.body as TreeNode, '');
    return paths.sort();
  }

  /** Completes the open task of `taskDefinitionKey` (exactly one must be open). */
  async complete(
    taskDefinitionKey: string,
    variables: Record<string, { value: unknown; type?: string }> = {},
  ): Promise<request.Response> {
    const tasks = await request(this.app)
      .get(`/engine-rest/task?processInstanceId=${this.id}&taskDefinitionKey=${taskDefinitionKey}`)
      .expect(200);
    expect(tasks.body).toHaveLength(1);
    return request(this.app).post(`/engine-rest/task/${tasks.body[0].id}/complete`).send({ variables });
  }

  /** The activities the instance went through, in order (history). */
  async path(): Promise<string[]> {
    const history = await request(this.app)
      .get(
        `/engine-rest/history/activity-instance?processInstanceId=${this.id}&sortBy=occurrence&sortOrder=asc`,
      )
      .expect(200);
    return (history.body as Array<{ activityId: string }>).map((entry) => entry.activityId);
  }
}
