import request from 'supertest';
import { externalTaskClient } from '../support/external-tasks';
import { deploy } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/**
 * Message throw and end events with `camunda:type="external"` are service-task-like, as in Camunda:
 * each waits for an external task on its topic (priority from `camunda:taskPriority`), shows in the
 * tree as the event, and passes on (or ends its token) when a worker completes it.
 */
describe('external message throw and end events', () => {
  let stack: TestStack;
  const { start, locked, complete } = externalTaskClient(() => stack.app);
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack();
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
  <message id="notice" name="notice" />
  <process id="notifying" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="notify" />
    <intermediateThrowEvent id="notify">
      <messageEventDefinition messageRef="notice" camunda:type="external" camunda:topic="notify" camunda:taskPriority="\${urgency}" />
    </intermediateThrowEvent>
    <sequenceFlow id="f2" sourceRef="notify" targetRef="confirm" />
    <endEvent id="confirm">
      <messageEventDefinition messageRef="notice" camunda:type="external" camunda:topic="confirm" />
    </endEvent>
  </process>
</definitions>`;
    await deploy(stack.app, [{ name: 'notifying.bpmn', content: xml }]).expect(200);
  });
  afterAll(() => stack.close());

  it('waits in the throw event for its external task, then in the end event for its own', async () => {
    const instanceId = await start('notifying', { variables: { urgency: { value: 7, type: 'Integer' } } });
    const tree = await api()
      .get(`/engine-rest/process-instance/${instanceId}/activity-instances`)
      .expect(200);
    expect(tree.body.childActivityInstances).toEqual([
      expect.objectContaining({ activityId: 'notify', activityType: 'intermediateMessageThrowEvent' }),
    ]);

    const [notify] = await locked('w', 'notify');
    expect(notify).toMatchObject({ activityId: 'notify', processInstanceId: instanceId, priority: 7 });
    await complete(notify!.id, { workerId: 'w' }).expect(204);

    const [confirm] = await locked('w', 'confirm');
    expect(confirm).toMatchObject({ activityId: 'confirm', processInstanceId: instanceId });
    const waiting = await api()
      .get(`/engine-rest/process-instance/${instanceId}/activity-instances`)
      .expect(200);
    expect(waiting.body.childActivityInstances).toEqual([
      expect.objectContaining({ activityId: 'confirm', activityType: 'messageEndEvent' }),
    ]);
    await complete(confirm!.id, { workerId: 'w' }).expect(204);

    await api().get(`/engine-rest/process-instance/${instanceId}`).expect(404);
    const history = await api()
      .get(
        `/engine-rest/history/activity-instance?processInstanceId=${instanceId}&sortBy=startTime&sortOrder=asc`,
      )
      .expect(200);
    expect(history.body.map((row: { activityId: string }) => row.activityId).sort()).toEqual([
      'confirm',
      'notify',
      'start',
    ]);
  });

  it('refuses an external message event without a topic, and another camunda:type', async () => {
    const eventWith = (attributes: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
  <process id="broken" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <endEvent id="end"><messageEventDefinition ${attributes} /></endEvent>
  </process>
</definitions>`;
    const noTopic = await deploy(stack.app, [
      { name: 'a.bpmn', content: eventWith('camunda:type="external"') },
    ]).expect(400);
    expect(noTopic.body.message).toContain('has no camunda:topic');
    const mail = await deploy(stack.app, [
      { name: 'b.bpmn', content: eventWith('camunda:type="mail"') },
    ]).expect(400);
    expect(mail.body.message).toContain('only camunda:type="external" is supported');
  });
});
