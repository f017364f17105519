import { parseRetryCycle, type RetryCycle } from '@libs/bpmn';
import { nextJobRetry } from '..';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const cycle = (text: string): RetryCycle => parseRetryCycle(text) as RetryCycle;
const after = (ms: number) => new Date(NOW.getTime() + ms);

describe('nextJobRetry', () => {
  it('takes one retry and keeps the due date without a retry cycle', () => {
    expect(nextJobRetry({ retries: 3, exceptionMessage: null }, undefined, NOW)).toEqual({
      retries: 2,
      dueDate: undefined,
    });
    expect(nextJobRetry({ retries: 0, exceptionMessage: 'x' }, undefined, NOW).retries).toBe(0);
  });

  it('resets the retries to the repeat count on the first failure and waits the interval each time', () => {
    const r2 = cycle('R2/PT2S');
    const first = nextJobRetry({ retries: 3, exceptionMessage: null }, r2, NOW);
    expect(first).toEqual({ retries: 1, dueDate: after(2_000) });
    expect(nextJobRetry({ retries: 1, exceptionMessage: 'boom' }, r2, NOW)).toEqual({
      retries: 0,
      dueDate: after(2_000),
    });
  });

  it('walks a list of intervals, one per failure, the last one repeated', () => {
    const list = cycle('PT1M,PT2M,PT10M');
    const waits: number[] = [];
    let job = { retries: list.retries, exceptionMessage: null as string | null };
    while (job.retries > 0) {
      const next = nextJobRetry(job, list, NOW);
      waits.push(next.dueDate!.getTime() - NOW.getTime());
      job = { retries: next.retries, exceptionMessage: 'boom' };
    }
    expect(waits).toEqual([60_000, 120_000, 600_000, 600_000]);
  });
});
