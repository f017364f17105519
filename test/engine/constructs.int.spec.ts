import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { Scenario } from '../support/scenario';
import { startTestStack, type TestStack } from '../support/test-stack';

const text = (value: string) => ({ value, type: 'String' });
const int = (value: number) => ({ value, type: 'Integer' });
const bool = (value: boolean) => ({ value, type: 'Boolean' });

/** Each supported construct, checked through the activity-instance tree after start and every step. */
describe('BPMN constructs through the HTTP API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'gateways.bpmn', content: fixture('constructs/gateways.bpmn') },
      { name: 'scopes.bpmn', content: fixture('constructs/scopes.bpmn') },
    ]).expect(200);
  });
  afterAll(() => stack.close());

  describe('exclusive gateway', () => {
    it('takes the first flow whose condition holds', async () => {
      const instance = await Scenario.start(stack.app, 'exclusive', { tier: text('gold'), amount: int(500) });
      expect(await instance.tree()).toEqual(['vip']);
    });

    it('takes the default flow when no condition holds', async () => {
      const instance = await Scenario.start(stack.app, 'exclusive', { tier: text('gold'), amount: int(50) });
      expect(await instance.tree()).toEqual(['standard']);
      expect((await instance.complete('standard')).status).toBe(204);
      expect(await instance.tree()).toBeNull();
      expect(await instance.path()).toEqual(['start', 'route', 'standard', 'end']);
    });

    it('refuses a step where no flow can be selected, and leaves the instance where it was', async () => {
      const instance = await Scenario.start(stack.app, 'exclusive', { tier: text('gold'), amount: int(500) });
      const failed = await instance.complete('vip', { approved: bool(false) });
      expect(failed.status).toBeGreaterThanOrEqual(400);
      expect(failed.body.message).toContain('ENGINE-02004');
      expect(await instance.tree()).toEqual(['vip']);
      expect((await instance.complete('vip', { approved: bool(true) })).status).toBe(204);
      expect(await instance.tree()).toBeNull();
    });
  });

  describe('parallel gateway', () => {
    it('forks two branches and joins them once both arrived', async () => {
      const instance = await Scenario.start(stack.app, 'parallel');
      expect(await instance.tree()).toEqual(['invoice', 'pack']);
      expect((await instance.complete('pack')).status).toBe(204);
      expect(await instance.tree()).toEqual(['invoice', 'join']);
      expect((await instance.complete('invoice')).status).toBe(204);
      expect(await instance.tree()).toEqual(['ship']);
      expect((await instance.complete('ship')).status).toBe(204);
      expect(await instance.tree()).toBeNull();
    });
  });

  describe('inclusive gateway', () => {
    it('forks the flows whose conditions hold and joins without waiting for a branch not taken', async () => {
      const instance = await Scenario.start(stack.app, 'inclusive', {
        wantA: bool(true),
        wantB: bool(true),
        wantC: bool(false),
      });
      expect(await instance.tree()).toEqual(['a', 'b']);
      expect((await instance.complete('a')).status).toBe(204);
      expect(await instance.tree()).toEqual(['b', 'merge']);
      expect((await instance.complete('b')).status).toBe(204);
      expect(await instance.tree()).toEqual(['done']);
    });

    it('passes the join at once when only one branch was taken', async () => {
      const instance = await Scenario.start(stack.app, 'inclusive', {
        wantA: bool(false),
        wantB: bool(false),
        wantC: bool(true),
      });
      expect(await instance.tree()).toEqual(['c']);
      expect((await instance.complete('c')).status).toBe(204);
      expect(await instance.tree()).toEqual(['done']);
    });
  });

  describe('sub-process with a parallel fork and boundary events', () => {
    it('runs the fork inside the sub-process and leaves it when both branches joined', async () => {
      const instance = await Scenario.start(stack.app, 'guarded');
      expect(await instance.tree()).toEqual(['work/draft', 'work/review']);
      const jobs = await request(stack.app)
        .get(`/engine-rest/job?processInstanceId=${instance.id}`)
        .expect(200);
      expect(jobs.body).toEqual([
        expect.objectContaining({ processInstanceId: instance.id, retries: 3, dueDate: expect.any(String) }),
      ]);
      expect((await instance.complete('draft')).status).toBe(204);
      expect(await instance.tree()).toEqual(['work/review', 'work/together']);
      expect((await instance.complete('review')).status).toBe(204);
      expect(await instance.tree()).toEqual(['publish']);
      expect(
        (await request(stack.app).get(`/engine-rest/job?processInstanceId=${instance.id}`).expect(200)).body,
      ).toEqual([]);
    });

    it('lets the interrupting timer cancel the sub-process with both branches', async () => {
      const instance = await Scenario.start(stack.app, 'guarded');
      const [job] = (
        await request(stack.app).get(`/engine-rest/job?processInstanceId=${instance.id}`).expect(200)
      ).body;
      await request(stack.app).post(`/engine-rest/job/${job.id}/execute`).expect(204);
      expect(await instance.tree()).toEqual(['escalate']);
      expect(
        (await request(stack.app).get(`/engine-rest/task?processInstanceId=${instance.id}`).expect(200)).body,
      ).toHaveLength(1);
    });

    it('runs the non-interrupting message beside the sub-process', async () => {
      const instance = await Scenario.start(stack.app, 'guarded');
      await request(stack.app)
        .post('/engine-rest/message')
        .send({ messageName: 'nudge', processInstanceId: instance.id })
        .expect(204);
      expect(await instance.tree()).toEqual(['remind', 'work/draft', 'work/review']);
    });
  });

  describe('nested sub-processes with a terminate end event', () => {
    it('terminates only the inner sub-process and continues in the outer one', async () => {
      const instance = await Scenario.start(stack.app, 'nested');
      expect(await instance.tree()).toEqual(['outer/inner/decide', 'outer/inner/wait']);
      expect((await instance.complete('decide')).status).toBe(204);
      expect(await instance.tree()).toEqual(['outer/afterInner']);
      expect((await instance.complete('afterInner')).status).toBe(204);
      expect(await instance.tree()).toBeNull();
    });
  });
});
