import { setVariablesBatchConfiguration } from './set-variables-batch-configuration';

describe('the set-variables batch configuration', () => {
  it('gives back every kind of typed value it stored', () => {
    const variables = {
      text: { type: 'String', value: 'a' },
      count: { type: 'Integer', value: 7 },
      big: { type: 'Long', value: 9_007_199_254 },
      ratio: { type: 'Double', value: 0.5 },
      flag: { type: 'Boolean', value: true },
      due: { type: 'Date', value: new Date('2026-11-30T10:11:12.345Z') },
      json: { type: 'Json', value: { items: [1, 'two'], nested: { ok: true } } },
      nothing: { type: 'Null', value: null },
    } as const;

    const read = setVariablesBatchConfiguration.read(
      JSON.stringify(setVariablesBatchConfiguration.store({ variables })),
    );

    expect(read).toEqual({ variables });
  });

  it('refuses a configuration it did not store', () => {
    expect(() => setVariablesBatchConfiguration.read('{"variables":{"a":1}}')).toThrow();
  });
});
