import { OptimisticLockingException } from '@libs/engine';
import { InstanceStore, sqlOf, transaction } from '@libs/persistence';
import { updateRows } from '../../libs/persistence/sql';
import { startTestStack, type TestStack } from '../support/test-stack';
import { deployVersions, startById } from '../support/migration';

/** The set-based write path under the stores: grouped and joined updates, revision checks. */
describe('set-based writes', () => {
  let stack: TestStack;
  const sql = () => sqlOf(stack.infrastructure.dataSource);

  beforeAll(async () => {
    stack = await startTestStack();
    await sql().execute(
      'CREATE TABLE scratch (id VARCHAR(10) PRIMARY KEY, a VARCHAR(10) NULL, b INT NOT NULL, rev INT NOT NULL)',
    );
  });
  afterAll(async () => stack.close());

  const rows = async () =>
    (
      await sql().select<{ id: string; a: string | null; b: number; rev: number }>(
        'SELECT * FROM scratch ORDER BY id',
      )
    ).map((row) => [row.id, row.a, Number(row.b), Number(row.rev)]);

  it('updates rows that share values together and the others by join, each with its own values', async () => {
    await sql().execute('DELETE FROM scratch');
    await sql().execute(
      "INSERT INTO scratch VALUES ('r1', 'x', 1, 1), ('r2', 'x', 1, 1), ('r3', 'x', 1, 1), ('r4', NULL, 1, 1), ('r5', 'x', 1, 1)",
    );
    const matched = await updateRows(
      sql(),
      'scratch',
      'id',
      ['a', 'b'],
      [
        ['r1', 'same', 7],
        ['r2', 'same', 7],
        ['r3', null, 8],
        ['r4', 'own', 9],
      ],
    );
    expect(matched).toBe(4);
    expect(await rows()).toEqual([
      ['r1', 'same', 7, 1],
      ['r2', 'same', 7, 1],
      ['r3', null, 8, 1],
      ['r4', 'own', 9, 1],
      ['r5', 'x', 1, 1],
    ]);
  });

  it('updates only rows whose matched column still has the expected value, and increments', async () => {
    await sql().execute('DELETE FROM scratch');
    await sql().execute(
      "INSERT INTO scratch VALUES ('r1', 'x', 1, 1), ('r2', 'x', 1, 2), ('r3', 'x', 1, 1), ('r4', 'x', 1, 5)",
    );
    const matched = await updateRows(
      sql(),
      'scratch',
      'id',
      ['b'],
      [
        ['r1', 2, 1],
        ['r2', 2, 1], // stale: its rev is 2
        ['r3', 3, 1],
        ['r4', 4, 5],
      ],
      { match: ['rev'], increment: 'rev' },
    );
    expect(matched).toBe(3);
    expect(await rows()).toEqual([
      ['r1', 'x', 2, 2],
      ['r2', 'x', 1, 2],
      ['r3', 'x', 3, 2],
      ['r4', 'x', 4, 6],
    ]);
  });

  it('refuses to save instances loaded at a revision that is gone, and writes nothing', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'approval', 'approvalStale');
    const ids = [
      await startById(stack.app, v1, { initiator: { value: 'a', type: 'String' } }),
      await startById(stack.app, v1, { initiator: { value: 'b', type: 'String' } }),
    ];
    const store = new InstanceStore();
    const stale = await store.load(sql(), ids);
    await sql().execute('UPDATE ru_process_instance SET revision = revision + 1 WHERE id = ?', [ids[1]]);
    const changes = [...stale.values()].map((loaded) => ({
      before: loaded,
      after: { ...loaded.state, definitionId: v2 },
    }));
    await expect(
      transaction(stack.infrastructure.dataSource, (tx) => store.save(tx, changes)),
    ).rejects.toBeInstanceOf(OptimisticLockingException);
    const definitions = await sql().select<{ definition_id: string }>(
      'SELECT definition_id FROM ru_process_instance WHERE id IN (?, ?)',
      ids,
    );
    expect(definitions.map((row) => row.definition_id)).toEqual([v1, v1]);
  });
  it("reads an instance's subscriptions back in the order they were created, whatever their ids", async () => {
    const { v1 } = await deployVersions(stack.app, 'approval', 'approvalOrdered');
    const id = await startById(stack.app, v1, { initiator: { value: 'a', type: 'String' } });
    const store = new InstanceStore();
    const loaded = (await store.load(sql(), [id])).get(id)!;
    const scope = loaded.state.activityInstances.find((instance) => instance.parentId === null)!;
    const created = new Date('2026-01-01T00:00:00.000Z');
    // Created in one millisecond, ids in the reverse of creation order.
    const subscriptions = ['zz-first', 'mm-second', 'aa-third'].map((subscriptionId) => ({
      id: subscriptionId,
      type: 'compensate' as const,
      eventName: null,
      activityId: 'approve',
      activityInstanceId: scope.id,
      executionId: scope.executionId,
      created,
    }));
    await transaction(stack.infrastructure.dataSource, (tx) =>
      store.save(tx, [
        {
          before: loaded,
          after: {
            ...loaded.state,
            eventSubscriptions: [...loaded.state.eventSubscriptions, ...subscriptions],
          },
        },
      ]),
    );
    const reloaded = (await store.load(sql(), [id])).get(id)!;
    expect(
      reloaded.state.eventSubscriptions
        .filter((subscription) => subscription.type === 'compensate')
        .map((s) => s.id),
    ).toEqual(['zz-first', 'mm-second', 'aa-third']);
  });
});
