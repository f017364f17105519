import type { Express } from 'express';
import request from 'supertest';
import { deploy, fixture, withKey } from './rest';

/** The JSON of a locked or listed external task, with the fields the tests read typed. */
export interface ExternalTaskJson {
  id: string;
  processInstanceId: string;
  workerId: string;
  lockExpirationTime: string;
  variables: Record<string, unknown>;
  [field: string]: unknown;
}

/** A REST date (`…+0000`) as a Date. */
export const parseRestDate = (text: string): Date => new Date(text.replace(/\+0000$/, 'Z'));

/**
 * REST calls around external tasks. `deployTopic(name)` deploys the payment fixture under the key
 * `name` with its external task on topic `name`, so every test can work on a topic of its own.
 */
export function externalTaskClient(app: () => Express) {
  const fetchAndLock = (workerId: string, topicName: string, extra: object = {}, topic: object = {}) =>
    request(app())
      .post('/engine-rest/external-task/fetchAndLock')
      .send({ workerId, maxTasks: 10, topics: [{ topicName, lockDuration: 60_000, ...topic }], ...extra });
  return {
    /** `priority` is the `camunda:taskPriority` text, possibly an expression. */
    async deployTopic(topic: string, priority = '10'): Promise<void> {
      const xml = withKey(fixture('payment.bpmn'), 'payment', topic)
        .replace('camunda:topic="charge"', `camunda:topic="${topic}"`)
        .replace('camunda:taskPriority="10"', `camunda:taskPriority="${priority}"`);
      await deploy(app(), [{ name: `${topic}.bpmn`, content: xml }]).expect(200);
    },
    async start(key: string, body: object = {}): Promise<string> {
      const started = await request(app())
        .post(`/engine-rest/process-definition/key/${key}/start`)
        .send(body)
        .expect(200);
      return started.body.id;
    },
    fetchAndLock,
    /** Fetch-and-lock that must answer 200: the locked tasks. */
    async locked(workerId: string, topicName: string, extra: object = {}, topic: object = {}) {
      return (await fetchAndLock(workerId, topicName, extra, topic).expect(200)).body as ExternalTaskJson[];
    },
    complete: (id: string, body: object) =>
      request(app()).post(`/engine-rest/external-task/${id}/complete`).send(body),
    failure: (id: string, body: object) =>
      request(app()).post(`/engine-rest/external-task/${id}/failure`).send(body),
    /** `GET /external-task<query>`. */
    async listed(query: string): Promise<ExternalTaskJson[]> {
      return (await request(app()).get(`/engine-rest/external-task${query}`).expect(200)).body;
    },
    /** The activity ids the instance waits in (children of the tree's root). */
    async waitingIn(instanceId: string): Promise<string[]> {
      const tree = await request(app())
        .get(`/engine-rest/process-instance/${instanceId}/activity-instances`)
        .expect(200);
      return tree.body.childActivityInstances.map((child: { activityId: string }) => child.activityId);
    },
  };
}
