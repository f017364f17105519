import { parseRetryCycle } from '.';

describe('parseRetryCycle', () => {
  it('reads a repeat as its count of executions with one interval', () => {
    expect(parseRetryCycle('R3/PT5M')).toMatchObject({
      text: 'R3/PT5M',
      retries: 3,
      intervals: [{ minutes: 5 }],
    });
  });

  it('reads an unbounded repeat with Camunda count', () => {
    expect(parseRetryCycle('R/PT1S')).toMatchObject({ retries: 2_147_483_646 });
  });

  it('reads a list of durations as one execution more than intervals', () => {
    const cycle = parseRetryCycle(' PT1M, PT2M ,PT10M ');
    expect(cycle).toMatchObject({ retries: 4, intervals: [{ minutes: 1 }, { minutes: 2 }, { minutes: 10 }] });
  });

  it.each([
    ['', 'the retry cycle is empty'],
    ['R3/5 minutes', "'5 minutes' is not an ISO-8601 duration (e.g. PT5M)"],
    [
      'PT1M,later',
      "'later' is neither a repeat 'R<n>/<duration>' nor an ISO-8601 duration (e.g. R3/PT5M or PT1M,PT5M)",
    ],
    [
      'R3/2030-01-01T00:00:00Z/PT1M',
      "'R3/2030-01-01T00:00:00Z/PT1M' is neither a repeat 'R<n>/<duration>' nor an ISO-8601 duration (e.g. R3/PT5M or PT1M,PT5M)",
    ],
  ])('says what is wrong with %j', (text, problem) => {
    expect(parseRetryCycle(text)).toBe(problem);
  });
});
