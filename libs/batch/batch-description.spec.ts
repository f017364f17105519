import { describeBatch } from './batch-description';

describe('describeBatch', () => {
  it('names a migration by its source and target definitions, its instructions line by line', () => {
    const configuration = JSON.stringify({
      migrationPlan: {
        sourceProcessDefinitionId: 'order:1:a',
        targetProcessDefinitionId: 'order:2:b',
        instructions: [
          { sourceActivityIds: ['approve'], targetActivityIds: ['approve'], updateEventTrigger: false },
          { sourceActivityIds: ['wait'], targetActivityIds: ['timer'], updateEventTrigger: true },
        ],
        variables: { reason: { value: 'v2' } },
      },
      skipListeners: false,
      skipIoMappings: true,
    });
    expect(describeBatch('instance-migration', configuration)).toEqual({
      summary: 'order:1:a → order:2:b',
      details: [
        'approve → approve',
        'wait → timer (update event trigger)',
        'variables: reason',
        'skip I/O mappings',
      ],
    });
  });

  it('summarises a modification by its instructions', () => {
    const configuration = JSON.stringify({
      processDefinitionId: 'repair:1:c',
      instructions: [
        { type: 'startBeforeActivity', activityId: 'fix' },
        { type: 'cancel', activityId: 'broken', cancelCurrentActiveActivityInstances: true },
      ],
      singleInstance: false,
      skipListeners: false,
      skipIoMappings: false,
    });
    expect(describeBatch('instance-modification', configuration)).toEqual({
      summary: 'startBeforeActivity fix, cancel broken (current instances) on repair:1:c',
      details: ['startBeforeActivity fix', 'cancel broken (current instances)'],
    });
  });

  it('says what the other types do', () => {
    expect(describeBatch('instance-deletion', '{"deleteReason":"cleanup"}').summary).toBe(
      'delete instances: cleanup',
    );
    expect(describeBatch('instance-update-suspension-state', '{"suspended":true}').summary).toBe(
      'suspend instances',
    );
    expect(describeBatch('set-job-retries', '{"retries":3,"dueDate":null}').summary).toBe(
      'set retries to 3, due now',
    );
  });

  it('never fails: an unknown type shows its fields, an unreadable or missing configuration its type', () => {
    expect(describeBatch('custom', '{"a":1,"b":"x"}')).toEqual({
      summary: 'a: 1, b: "x"',
      details: ['a: 1', 'b: "x"'],
    });
    expect(describeBatch('instance-migration', 'not json')).toEqual({
      summary: 'instance-migration',
      details: [],
    });
    expect(describeBatch('instance-migration', null)).toEqual({ summary: 'instance-migration', details: [] });
  });
});
