import type { ModificationInstruction } from '@libs/engine';
import {
  modificationBatchConfiguration,
  type ModificationBatchPlan,
} from './modification-batch-configuration';

const roundTrip = (plan: ModificationBatchPlan) =>
  modificationBatchConfiguration.read(JSON.stringify(modificationBatchConfiguration.store(plan)));

const instructions: ModificationInstruction[] = [
  { type: 'startBeforeActivity', activityId: 'review', ancestorActivityInstanceId: 'sub:1' },
  { type: 'startAfterActivity', activityId: 'check', ancestorActivityInstanceId: null },
  { type: 'startTransition', transitionId: 'flow1' },
  { type: 'cancel', activityId: 'wait', cancelCurrentActiveActivityInstances: true },
  { type: 'cancel', activityInstanceId: 'wait:1' },
  { type: 'cancel', transitionInstanceId: 'flow1:1' },
];

describe('the modification batch configuration', () => {
  it('gives back every kind of instruction and the options it stored', () => {
    const plan: ModificationBatchPlan = {
      processDefinitionId: 'order:1:a',
      instructions,
      singleInstance: true,
      skipCustomListeners: false,
      skipIoMappings: true,
    };
    expect(roundTrip(plan)).toEqual(plan);
  });

  it('drops instruction variables, as Camunda does for async modification', () => {
    const plan: ModificationBatchPlan = {
      processDefinitionId: 'order:1:a',
      instructions: [
        {
          type: 'startBeforeActivity',
          activityId: 'review',
          variables: { amount: { value: { type: 'Integer', value: 5 }, local: true } },
        },
      ],
      singleInstance: false,
      skipCustomListeners: true,
      skipIoMappings: false,
    };
    expect(roundTrip(plan)).toEqual({
      ...plan,
      instructions: [{ type: 'startBeforeActivity', activityId: 'review' }],
    });
  });

  it('stores Camunda’s option name skipListeners', () => {
    const stored = modificationBatchConfiguration.store({
      processDefinitionId: 'order:1:a',
      instructions: [{ type: 'cancel', activityId: 'wait' }],
      singleInstance: false,
      skipCustomListeners: true,
      skipIoMappings: false,
    });
    expect(stored).toEqual({
      processDefinitionId: 'order:1:a',
      instructions: [{ type: 'cancel', activityId: 'wait' }],
      singleInstance: false,
      skipListeners: true,
      skipIoMappings: false,
    });
  });
});
