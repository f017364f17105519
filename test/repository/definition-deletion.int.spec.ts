import request from 'supertest';
import { startInstance } from '../support/instances';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/**
 * `DELETE /process-definition/{id}` and `/key/{key}`: running instances block the deletion unless
 * `cascade` (then they and the definitions' history go); the deployment stays and an earlier version
 * becomes the latest again.
 */
describe('deleting process definitions', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const deployVersion = async () => {
    const response = await deploy(stack.app, [
      { name: 'doomed.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'doomed') },
    ]).expect(200);
    const [definition] = Object.values(response.body.deployedProcessDefinitions as object) as Array<{
      id: string;
      deploymentId: string;
    }>;
    return definition!;
  };

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('refuses a definition with running instances without cascade, and deletes it with them and their history', async () => {
    const v1 = await deployVersion();
    await startInstance(stack.app, 'doomed');
    const v2 = await deployVersion();
    const onV2 = [await startInstance(stack.app, 'doomed'), await startInstance(stack.app, 'doomed')];

    const refused = await api().delete(`/engine-rest/process-definition/${v2.id}`).expect(400);
    expect(refused.body.message).toBe(
      `ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ${v2.id} can't be deleted, because there are 2 dependent process instances.`,
    );
    await api().get(`/engine-rest/process-definition/${v2.id}`).expect(200);

    await api()
      .delete(`/engine-rest/process-definition/${v2.id}?cascade=true&skipIoMappings=true`)
      .expect(204);

    await api().get(`/engine-rest/process-definition/${v2.id}`).expect(404);
    const latest = await api().get('/engine-rest/process-definition/key/doomed').expect(200);
    expect(latest.body.id).toBe(v1.id);
    await api().get(`/engine-rest/deployment/${v2.deploymentId}`).expect(200);
    for (const id of onV2) await api().get(`/engine-rest/process-instance/${id}`).expect(404);
    const history = await api()
      .get(`/engine-rest/history/process-instance?processDefinitionId=${v2.id}`)
      .expect(200);
    expect(history.body).toEqual([]);
    const left = await api()
      .get('/engine-rest/process-instance/count?processDefinitionKey=doomed')
      .expect(200);
    expect(left.body).toEqual({ count: 1 });
  });

  it('deletes every version of a key, and answers 404 for unknown ids and keys', async () => {
    const byKey = await api().delete('/engine-rest/process-definition/key/doomed').expect(400);
    expect(byKey.body.message).toContain('ENGINE-03076');

    await api().delete('/engine-rest/process-definition/key/doomed?cascade=true').expect(204);

    await api().get('/engine-rest/process-definition/key/doomed').expect(404);
    const unknownId = await api().delete('/engine-rest/process-definition/nope').expect(404);
    const unknownKey = await api().delete('/engine-rest/process-definition/key/doomed').expect(404);
    const badFlag = await api().delete('/engine-rest/process-definition/nope?cascade=maybe').expect(404);
    expect(unknownId.body).toEqual({
      type: 'InvalidRequestException',
      message: "No process definition found with id 'nope': processDefinition is null",
      code: null,
    });
    expect(unknownKey.body.message).toBe(
      "No process definition found with key 'doomed': processDefinitions is empty",
    );
    expect(badFlag.body.type).toBe('InvalidRequestException');
  });

  it('answers a 400 for a flag that is not a boolean, deleting nothing', async () => {
    const definition = await deployVersion();
    const bad = await api()
      .delete(`/engine-rest/process-definition/${definition.id}?cascade=maybe`)
      .expect(400);

    expect(bad.body.message).toBe("Cannot set query parameter 'cascade' to value 'maybe'");
    await api().get(`/engine-rest/process-definition/${definition.id}`).expect(200);
  });
});
