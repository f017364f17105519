import request from 'supertest';
import { restVariables } from '../support/instances';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/**
 * A process shaped like Camunda's invoice example end to end over REST: the decision and the Java class
 * it names are warned about at deployment and pass through; a rejected invoice is reviewed in a called
 * instance whose out mapping decides the way back; an approved one is paid and archived asynchronously.
 */
describe('an invoice process like Camunda’s example', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const openTask = async (instanceId: string) => {
    const tasks = (await api().get(`/engine-rest/task?processInstanceId=${instanceId}`).expect(200)).body;
    expect(tasks).toHaveLength(1);
    return tasks[0] as { id: string; taskDefinitionKey: string; assignee: string | null };
  };
  const complete = async (
    instanceId: string,
    key: string,
    variables: Record<string, string | number | boolean> = {},
  ) => {
    const task = await openTask(instanceId);
    expect(task.taskDefinitionKey).toBe(key);
    await api()
      .post(`/engine-rest/task/${task.id}/complete`)
      .send({ variables: restVariables(variables) })
      .expect(204);
  };

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('deploys with warnings for what it names but cannot run, and runs through review, approval and archiving', async () => {
    const deployed = await deploy(stack.app, [
      { name: 'invoice.bpmn', content: fixture('invoice/invoice.bpmn') },
      { name: 'invoice-review.bpmn', content: fixture('invoice/invoice-review.bpmn') },
    ]).expect(200);
    const warnings = (deployed.body.details['invoice.bpmn'].warnings as Array<{ message: string }>).map(
      (warning) => warning.message,
    );
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining("camunda:class on <serviceTask> 'archiveInvoice' is ignored"),
        expect.stringContaining("'assignApprover'"),
      ]),
    );

    const started = await api()
      .post('/engine-rest/process-definition/key/invoice/start')
      .send({
        businessKey: 'GPFE-23232323',
        variables: restVariables({
          amount: 30,
          creditor: 'Great Pizza for Everyone Inc.',
          invoiceNumber: 'GPFE-23232323',
          approverGroups: 'management',
        }),
      })
      .expect(200);
    const id = started.body.id as string;
    await complete(id, 'approveInvoice', { approved: false });

    const [review] = (await api().get(`/engine-rest/process-instance?superProcessInstance=${id}`).expect(200))
      .body;
    expect(review).toMatchObject({ definitionId: expect.stringMatching(/^invoiceReview:/) });
    const reviewVariables = (
      await api().get(`/engine-rest/process-instance/${review.id}/variables`).expect(200)
    ).body;
    expect(reviewVariables).toMatchObject({
      creditor: { value: 'Great Pizza for Everyone Inc.' },
      invoiceNumber: { value: 'GPFE-23232323' },
    });
    expect(reviewVariables.approverGroups).toBeUndefined();
    await complete(review.id, 'assignReviewer', { reviewer: 'mary' });
    expect((await openTask(review.id)).assignee).toBe('mary');
    await complete(review.id, 'review', { clarified: true });

    await complete(id, 'approveInvoice', { approved: true });
    await complete(id, 'prepareBankTransfer');
    const [archive] = (await api().get(`/engine-rest/job?processInstanceId=${id}`).expect(200)).body;
    await api().post(`/engine-rest/job/${archive.id}/execute`).expect(204);

    const history = (await api().get(`/engine-rest/history/process-instance/${id}`).expect(200)).body;
    expect(history).toMatchObject({ state: 'COMPLETED', startActivityId: 'invoiceReceived' });
    const path = (
      await api()
        .get(`/engine-rest/history/activity-instance?processInstanceId=${id}&sortBy=occurrence&sortOrder=asc`)
        .expect(200)
    ).body.map((activity: { activityId: string }) => activity.activityId);
    expect(path).toEqual([
      'invoiceReceived',
      'assignApprover',
      'approveInvoice',
      'invoiceApproved',
      'reviewInvoice',
      'reviewSuccessful',
      'approveInvoice',
      'invoiceApproved',
      'prepareBankTransfer',
      'archiveInvoice',
      'invoiceProcessed',
    ]);
    const reviewHistory = (await api().get(`/engine-rest/history/process-instance/${review.id}`).expect(200))
      .body;
    expect(reviewHistory).toMatchObject({ state: 'COMPLETED', superProcessInstanceId: id });
  });
});
