import type { SeededRandom } from './seeded-random';

/** JSON text inserted verbatim where `JSON.stringify` cannot go: `1e999`, 100,000-deep nesting. */
export class RawJson {
  constructor(readonly text: string) {}
}

export type Hostile = RawJson | null | boolean | number | string | Hostile[] | { [key: string]: Hostile };

/** Serialises a hostile value, splicing raw JSON in (iterative over arrays/objects of modest depth). */
export function toJsonText(value: Hostile | undefined): string {
  if (value instanceof RawJson) return value.text;
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, entry]) => `${JSON.stringify(key)}:${toJsonText(entry)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Over the limits of every column: 64 (ids), 255 (keys, names), 300, a 16-bit TEXT, a long text. */
const LENGTHS = [65, 256, 301, 16_384, 70_000];
const WEIRD_TEXT = [
  "' OR '1'='1",
  '"; DROP TABLE ru_task; --',
  '%',
  '_%_',
  '\\',
  'a\u0000b',
  '\ud800',
  '\u202egnp.exe',
  'e\u0301',
  '../../etc/passwd',
  '${1 + 1}',
  '#{x}',
  '1e999',
  '-1e999',
  'NaN',
  'Infinity',
  '-0',
  '9'.repeat(400),
  '0x1f',
  'null',
  'true',
  '<x/>',
  ' ',
  '',
];
export const BAD_DATES = [
  '2024-13-45T99:99:99.000+0000',
  '9999-12-31T23:59:59.999-1400',
  '0000-01-01T00:00:00.000+0000',
  '+275760-09-13T00:00:00Z',
  '2024-02-30T00:00:00',
  '2024-05-02T10:00:00.000+99:99',
  'yesterday',
  '1e999',
  '',
];
const NUMBERS: Hostile[] = [
  new RawJson('1e999'),
  new RawJson('-1e999'),
  new RawJson('1E400'),
  new RawJson('-0'),
  2 ** 53 + 2,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 63,
  1.5,
  -1,
  0,
  1e308,
  Number.MAX_SAFE_INTEGER,
];

/** A long run of one character (ASCII, two-byte or four-byte in UTF-8). */
export function longText(r: SeededRandom, lengths = LENGTHS): string {
  return r.pick(['x', 'é', '😀']).repeat(r.pick(lengths));
}

export function hostileText(r: SeededRandom): string {
  switch (r.int(0, 3)) {
    case 0:
      return longText(r);
    case 1:
      return r.text(r.int(1, 12));
    default:
      return r.pick(WEIRD_TEXT);
  }
}

export function hostileNumber(r: SeededRandom): Hostile {
  return r.chance(0.15) ? r.pick(['1', '1.5', 'x', '1e999']) : r.pick(NUMBERS);
}

export function deepNesting(r: SeededRandom): RawJson {
  const depth = r.pick([64, 5_000, 100_000]);
  return r.chance(0.5)
    ? new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    : new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** A value of a type no typed field accepts (never `null`, which most fields take as "absent"). */
export function wrongType(r: SeededRandom): Hostile {
  const choices: Array<() => Hostile> = [
    () => true,
    () => 42,
    () => 'text',
    () => [],
    () => ({}),
    () => [null],
    () => ({ nested: { deep: [1, { x: 'y' }] } }),
    () => deepNesting(r),
  ];
  return r.pick(choices)();
}

/** Ids over the documented maximum, ids of the wrong type, over-long ids. */
export function hostileIds(r: SeededRandom, huge: readonly string[]): Hostile {
  const choices: Array<() => Hostile> = [
    () => [...huge],
    () => [...huge.slice(0, 10_000), longText(r)],
    () => [longText(r, [65, 301, 70_000])],
    () => [42, true],
    () => [null, 'x'],
    () => ['a,b', '%E0%A4%A', ''],
    () => 'comma,separated',
    () => deepNesting(r),
  ];
  return r.pick(choices)();
}

/** A Camunda variable map with hostile names, types and values. */
export function hostileVariables(r: SeededRandom): Hostile {
  if (r.chance(0.15)) return wrongType(r);
  const entries: Record<string, Hostile> = {};
  for (let i = r.int(1, 3); i > 0; i -= 1) {
    const name = r.chance(0.4) ? longText(r, [256, 301, 70_000]) : r.pick(['', 'amount', r.text(5)]);
    entries[name] = r.chance(0.1) ? wrongType(r) : hostileVariable(r);
  }
  return entries;
}

function hostileVariable(r: SeededRandom): Hostile {
  // Types that convert, Camunda's types this engine lacks, and no types at all.
  const type = r.pick<Hostile>([
    'Integer',
    'double',
    'Date',
    'Json',
    'String',
    'short',
    'Object',
    'bytes',
    longText(r),
    42,
    null,
  ]);
  const value = hostileAny(r);
  return r.chance(0.3)
    ? { value, type, valueInfo: r.pick<Hostile>([{}, 'x', { objectTypeName: longText(r) }, [], null]) }
    : { value, type };
}

/** Any hostile value: text, numbers, wrong types, nesting, bad dates. */
export function hostileAny(r: SeededRandom): Hostile {
  switch (r.int(0, 5)) {
    case 0:
      return hostileNumber(r);
    case 1:
      return wrongType(r);
    case 2:
      return r.pick(BAD_DATES);
    case 3:
      return r.pick([JSON.stringify({ a: [1, 2] }), `${'['.repeat(10_000)}${']'.repeat(10_000)}`]);
    default:
      return hostileText(r);
  }
}

/** `encodeURIComponent` that tolerates lone surrogates (sent as the UTF-8 of U+FFFD). */
export function encode(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udfff]/g, (c, i: number) => {
      const code = c.charCodeAt(0);
      const pair = code < 0xdc00 ? text.charCodeAt(i + 1) : text.charCodeAt(i - 1);
      const paired = code < 0xdc00 ? pair >= 0xdc00 && pair <= 0xdfff : pair >= 0xd800 && pair < 0xdc00;
      return paired ? c : '\ufffd';
    }),
  );
}

/** A URL path segment that is no real id: garbage, over-long, or a malformed percent-escape (raw). */
export function hostileSegment(r: SeededRandom): string {
  const choices: Array<() => string> = [
    () => encode(r.text(r.int(1, 20))),
    () => encode(longText(r, [65, 256, 301, 4_000])),
    () => r.pick(['%E0%A4%A', '%', '%zz', '%C0%AF', '%ED%A0%80', '%FF', '%E0%A4', 'a%2', '%%']),
    () => encode(r.pick(WEIRD_TEXT.filter((text) => text !== ''))),
    () => r.pick(['..', '.', '%2e%2e', '%2F', 'a%2Fb', '%00', '%20']),
  ];
  return r.pick(choices)();
}

/** A raw query-string value: garbage, hostile text, numbers, or a malformed percent-escape. */
export function hostileParam(r: SeededRandom): string {
  const choices: Array<() => string> = [
    () => encode(hostileText(r).slice(0, 6_000)),
    () => r.pick(['%E0%A4%A', '%', '%zz', '%FF', 'a%2']),
    () => encode(String(r.pick(['1e999', '-1', '1.5', '9'.repeat(40), 'NaN', '0x10', 'true']))),
    () => encode(r.pick(BAD_DATES)),
    () => encode(Array.from({ length: 1_500 }, (_, i) => `id${i}`).join(',')),
    () =>
      encode(`${r.text(3)}_${r.pick(['eq', 'gt', 'like', 'xx'])}_${r.pick(['1e999', '-1e999', 'x', ''])}`),
  ];
  return r.pick(choices)();
}
