import { ProcessEngineException, addDuration, firstDueDate, parseDateTime, parseDuration } from '..';

const NOW = new Date('2024-01-31T10:00:00.000Z');

describe('ISO-8601 timers', () => {
  it.each([
    ['PT5M', '2024-01-31T10:05:00.000Z'],
    ['P1D', '2024-02-01T10:00:00.000Z'],
    ['P1DT2H', '2024-02-01T12:00:00.000Z'],
    ['PT1.5S', '2024-01-31T10:00:01.500Z'],
    ['P2W', '2024-02-14T10:00:00.000Z'],
    ['P1M', '2024-02-29T10:00:00.000Z'],
    ['P1Y1M', '2025-02-28T10:00:00.000Z'],
  ])('adds the duration %s like a calendar would', (text, expected) => {
    expect(addDuration(NOW, parseDuration(text)!)).toEqual(new Date(expected));
  });

  it.each(['P', 'PT', 'P1H', '1D', 'PT5X', 'P-1D', ''])('refuses %j as a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it.each([
    ['2030-01-01T00:00:00Z', '2030-01-01T00:00:00.000Z'],
    ['2030-01-01T01:00:00+01:00', '2030-01-01T00:00:00.000Z'],
    ['2016-01-25T13:33:42.165+0100', '2016-01-25T12:33:42.165Z'],
    ['2030-01-01T08:30', '2030-01-01T08:30:00.000Z'],
    ['2030-01-01', '2030-01-01T00:00:00.000Z'],
  ])('reads the date-time %s', (text, expected) => {
    expect(parseDateTime(text)).toEqual(new Date(expected));
  });

  it.each(['2030-02-30T00:00:00Z', '2030-01-01T24:00:00Z', 'tomorrow', ''])(
    'refuses %j as a date-time',
    (text) => {
      expect(parseDateTime(text)).toBeNull();
    },
  );

  it('computes the first due date of each timer kind', () => {
    expect(firstDueDate('duration', ' PT1H ', NOW, 't')).toEqual(new Date('2024-01-31T11:00:00.000Z'));
    expect(firstDueDate('date', '2030-01-01T00:00:00Z', NOW, 't')).toEqual(
      new Date('2030-01-01T00:00:00.000Z'),
    );
    expect(firstDueDate('date', new Date('2031-01-01T00:00:00Z'), NOW, 't')).toEqual(
      new Date('2031-01-01T00:00:00Z'),
    );
    expect(firstDueDate('cycle', 'R3/PT10M', NOW, 't')).toEqual(new Date('2024-01-31T10:10:00.000Z'));
    expect(firstDueDate('cycle', 'R/PT10M', NOW, 't')).toEqual(new Date('2024-01-31T10:10:00.000Z'));
    expect(firstDueDate('cycle', 'R2/2030-01-01T00:00:00Z/P1D', NOW, 't')).toEqual(
      new Date('2030-01-01T00:00:00Z'),
    );
  });

  it('refuses timer values it cannot read, naming the event', () => {
    expect(() => firstDueDate('cycle', '0 0/5 * * * ?', NOW, 'poll')).toThrow(
      new ProcessEngineException("Cannot parse the timer cycle '0 0/5 * * * ?' of timer event 'poll'"),
    );
    expect(() => firstDueDate('duration', 'soon', NOW, 'wait')).toThrow(ProcessEngineException);
  });
});
