import { jobRetriesBatchConfiguration } from './job-retries-batch-configuration';

const roundTrip = (plan: Parameters<typeof jobRetriesBatchConfiguration.store>[0]) =>
  jobRetriesBatchConfiguration.read(JSON.stringify(jobRetriesBatchConfiguration.store(plan)));

describe('the set-job-retries batch configuration', () => {
  it('keeps retries and a due date through storing and reading', () => {
    const dueDate = new Date('2027-01-02T03:04:05.678Z');
    expect(roundTrip({ retries: 3, dueDate })).toEqual({ retries: 3, dueDate });
  });

  it('tells "due now" (null) from "due dates stay" (absent)', () => {
    expect(roundTrip({ retries: 1, dueDate: null })).toEqual({ retries: 1, dueDate: null });
    const kept = roundTrip({ retries: 0 });
    expect(kept).toEqual({ retries: 0 });
    expect('dueDate' in kept).toBe(false);
  });

  it('stores the form earlier releases stored', () => {
    expect(
      jobRetriesBatchConfiguration.store({ retries: 2, dueDate: new Date('2027-01-02T00:00:00.000Z') }),
    ).toEqual({ retries: 2, dueDate: '2027-01-02T00:00:00.000Z' });
    expect(jobRetriesBatchConfiguration.read('{"retries":2}')).toEqual({ retries: 2 });
  });

  it('refuses a configuration it did not store', () => {
    expect(() => jobRetriesBatchConfiguration.read('{"retries":-1}')).toThrow();
    expect(() => jobRetriesBatchConfiguration.read('{"dueDate":null}')).toThrow();
  });
});
