import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/** `POST /migration/execute` with an instance of another definition: a 400 (Camunda leaks a 500). */
describe('migrating an instance of another definition', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const idOf = (deployed: { body: { deployedProcessDefinitions: Record<string, { id: string }> } }) =>
    Object.values(deployed.body.deployedProcessDefinitions)[0]!.id;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('answers 400 with ENGINE-23002 and migrates nothing', async () => {
    const v1 = idOf(
      await deploy(stack.app, [{ name: 'a.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'fm') }]),
    );
    const v2 = idOf(
      await deploy(stack.app, [
        { name: 'a.bpmn', content: withKey(fixture('order-v2.bpmn'), 'order', 'fm') },
      ]),
    );
    const other = idOf(
      await deploy(stack.app, [
        { name: 'b.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'fm-other') },
      ]),
    );
    const own = (await api().post(`/engine-rest/process-definition/${v1}/start`).send({}).expect(200)).body
      .id;
    const foreign = (await api().post(`/engine-rest/process-definition/${other}/start`).send({}).expect(200))
      .body.id;

    const response = await api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: [{ sourceActivityIds: ['approve'], targetActivityIds: ['approve'] }],
        },
        processInstanceIds: [own, foreign],
      })
      .expect(400);

    expect(response.body.message).toContain(
      `ENGINE-23002 Process instance '${foreign}' cannot be migrated. Its process definition '${other}' does not match the source process definition of the migration plan '${v1}'`,
    );
    expect((await api().get(`/engine-rest/process-instance/${own}`).expect(200)).body.definitionId).toBe(v1);
    expect((await api().get(`/engine-rest/process-instance/${foreign}`).expect(200)).body.definitionId).toBe(
      other,
    );
  });
});
