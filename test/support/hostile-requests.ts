import type { Server } from 'node:http';
import request from 'supertest';
import {
  BAD_DATES,
  deepNesting,
  encode,
  hostileAny,
  hostileIds,
  hostileNumber,
  hostileParam,
  hostileSegment,
  hostileText,
  hostileVariables,
  longText,
  RawJson,
  toJsonText,
  wrongType,
  type Hostile,
} from './hostile-values';
import { ROUTES, type Kind, type Route, type Target } from './hostile-routes';
import type { SeededRandom } from './seeded-random';

/** Ids of real records the requests may name (always together with an invalid field when writing). */
export type Targets = Readonly<Record<Target, readonly string[]>>;

export interface HostileRequest {
  readonly method: Route['method'];
  /** Raw path and query, sent as is (malformed escapes included). */
  readonly url: string;
  readonly contentType?: string;
  readonly body?: string | Buffer;
}

/** A short description for failure reports (long values cut). */
export function describeRequest(req: HostileRequest): string {
  const cut = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);
  const body =
    req.body === undefined
      ? ''
      : ` ${req.contentType ?? ''} ${JSON.stringify(cut(req.body.toString('utf8')))}`;
  return `${req.method} ${cut(req.url)}${body}`;
}

/** Sends a request to a listening server (one server for all requests keeps thousands of them fast). */
export function send(server: Server, req: HostileRequest): Promise<request.Response> {
  const method = req.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
  let call = request(server)[method](req.url).timeout({ response: 15_000 });
  if (req.contentType !== undefined) call = call.set('Content-Type', req.contentType);
  return req.body === undefined ? call : call.send(req.body);
}

const BOOL_POISON: Hostile[] = ['maybe', 1, {}, []];
const POISON: Partial<Record<Kind, (r: SeededRandom) => Hostile>> = {
  text: (r) => r.pick<Hostile>([42, true, {}, [], ['a']]),
  name: (r) => r.pick<Hostile>([42, {}, 'x'.repeat(256), '😀'.repeat(256)]),
  freeText: (r) => r.pick<Hostile>([42, [], 'x'.repeat(65_536), 'é'.repeat(32_768)]),
  storedIds: (r) => r.pick<Hostile>(['x', 42, [42], ['x'.repeat(65)], ['😀'.repeat(65)]]),
  count: (r) => r.pick<Hostile>(['1', 1.5, 2 ** 31, new RawJson('1e999')]),
  duration: (r) => r.pick<Hostile>(['1', 1.5, 2 ** 52]),
  bool: (r) => r.pick(BOOL_POISON),
  int: (r) => r.pick<Hostile>(['1', 1.5, {}, true]),
  date: (r) => r.pick<Hostile>([42, 'yesterday', '2024-13-45T99:99:99']),
  ids: (r) => r.pick<Hostile>(['x', 42, {}, [42], [{}]]),
  variables: (r) => r.pick<Hostile>(['x', 42, { a: 42 }, { a: { value: 1, type: 'Bogus' } }]),
  query: (r) => r.pick<Hostile>([42, 'x', [1]]),
  plan: (r) => r.pick<Hostile>([42, 'x', [1]]),
  instructions: (r) => r.pick<Hostile>([42, 'x', [{ type: 'bogus' }]]),
  topics: (r) =>
    r.pick<Hostile>([
      42,
      [{ topicName: 42 }],
      [{ topicName: 'charge', lockDuration: 'x' }],
      [{ topicName: 'charge', lockDuration: 2 ** 52 }],
    ]),
  sorting: (r) => r.pick<Hostile>([42, [{ sortBy: 'bogus', sortOrder: 'asc' }]]),
};
/** Query-string values no parameter accepts: a repeated parameter is never a single value. */
const QUERY_POISON: Partial<Record<Kind, string>> = {
  bool: 'maybe',
  int: 'x',
  date: encode('9999-12-31T23:59:59-1400'),
};

/**
 * `count` hostile requests over all routes, deterministic for a seed. A request that could change state
 * if valid (a write with real targets, or a write without path parameters) always carries at least one
 * field no valid request has, so whatever it is answered, nothing may change.
 */
export function generateRequests(
  r: SeededRandom,
  targets: Targets,
  hugeIds: readonly string[],
  count: number,
): HostileRequest[] {
  const generator = new Generator(r, targets, hugeIds);
  return Array.from({ length: count }, (_, i) => generator.request(ROUTES[i % ROUTES.length]!));
}

class Generator {
  constructor(
    private readonly r: SeededRandom,
    private readonly targets: Targets,
    private readonly hugeIds: readonly string[],
  ) {}

  request(route: Route): HostileRequest {
    const r = this.r;
    const poisonable = this.poisonableFields(route);
    const useReal = !route.writes || poisonable.length > 0 ? r.chance(0.5) : false;
    const mustPoison = route.writes === true && (useReal || route.params === undefined);
    const poisoned = mustPoison ? r.pick(poisonable) : undefined;
    const path = this.path(route, useReal);
    const query = this.query(route, poisoned);
    const root = route.absolute ? '' : this.root();
    const url = `${root}${path}${query}`;
    if (route.body === 'multipart') return { method: route.method, url, ...this.multipart(r) };
    if (route.body === undefined && r.chance(0.8)) return { method: route.method, url };
    return { method: route.method, url, ...this.jsonBody(route, poisoned) };
  }

  private root(): string {
    const r = this.r;
    if (r.chance(0.8)) return '/engine-rest';
    return r.chance(0.5) ? '/engine-rest/engine/default' : `/engine-rest/engine/${hostileSegment(r)}`;
  }

  private poisonableFields(route: Route): string[] {
    if (route.body === 'multipart' || route.body === 'variable') return ['(body)'];
    if (typeof route.body === 'object') {
      return Object.entries(route.body)
        .filter(([, kind]) => POISON[kind] !== undefined)
        .map(([name]) => `body.${name}`);
    }
    return Object.entries(route.query ?? {})
      .filter(([, kind]) => kind !== 'varParam' && kind !== 'conditionParam')
      .map(([name]) => `query.${name}`);
  }

  private path(route: Route, useReal: boolean): string {
    return route.path.replace(/:(\w+)/g, (_, name: string) => {
      const target = route.params?.[name];
      const real = target ? this.targets[target] : [];
      if (useReal && real.length > 0) return encode(this.r.pick(real));
      return hostileSegment(this.r);
    });
  }

  private query(route: Route, poisoned: string | undefined): string {
    const r = this.r;
    const pairs: string[] = [];
    for (const [name, kind] of Object.entries(route.query ?? {})) {
      if (`query.${name}` === poisoned) {
        const value = QUERY_POISON[kind];
        pairs.push(...(value ? [`${name}=${value}`] : [`${name}=a`, `${name}=b`]));
      } else if (r.chance(0.3)) {
        pairs.push(`${name}=${this.paramValue(kind)}`);
      }
    }
    if (r.chance(0.2)) pairs.push(`${encode(hostileText(r).slice(0, 200))}=${hostileParam(r)}`);
    if (r.chance(0.05)) pairs.push('sortBy=instanceId', 'sortBy=tenantId');
    return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
  }

  private paramValue(kind: Kind): string {
    const r = this.r;
    if (kind === 'bool' && r.chance(0.3)) return r.pick(['true', 'false', 'TRUE', '1', '']);
    if (kind === 'date' && r.chance(0.5)) return encode(r.pick(BAD_DATES));
    if (kind === 'varParam' && r.chance(0.6)) {
      const value = r.pick(['1e999', '-1e999', '1E400', '9'.repeat(400), 'x', '']);
      return encode(`${r.pick(['a', longText(r, [256, 2_000])])}_${r.pick(['eq', 'gt', 'like'])}_${value}`);
    }
    if (kind === 'conditionParam' && r.chance(0.6)) {
      return encode(`${r.pick(['gt', 'lt', 'xx'])}_${r.pick(BAD_DATES)}`);
    }
    return hostileParam(r);
  }

  private jsonBody(route: Route, poisoned: string | undefined): { contentType?: string; body: string } {
    const r = this.r;
    if (poisoned === '(body)') {
      const type = r.pick<Hostile>(['Bogus', 'Integer', 'Json', 42, {}]);
      return { contentType: 'application/json', body: toJsonText({ value: 'x', type }) };
    }
    if (poisoned === undefined && r.chance(0.1)) return this.brokenBody();
    const fields: Record<string, Hostile> = {};
    const kinds = typeof route.body === 'object' ? route.body : {};
    for (const [name, kind] of Object.entries(kinds)) {
      if (`body.${name}` === poisoned) fields[name] = POISON[kind]!(r);
      else if (r.chance(0.4)) fields[name] = this.value(kind);
    }
    if (route.body === 'variable') Object.assign(fields, { value: hostileAny(r), type: hostileText(r) });
    if (r.chance(0.15)) fields[hostileText(r).slice(0, 100)] = hostileAny(r);
    return { contentType: 'application/json', body: toJsonText(fields) };
  }

  /** Bodies that are not JSON objects at all, or not JSON. */
  private brokenBody(): { contentType?: string; body: string } {
    const r = this.r;
    const choices: Array<() => { contentType?: string; body: string }> = [
      () => ({ contentType: 'application/json', body: '{"a": [1, 2' }),
      () => ({ contentType: 'application/json', body: r.pick(['42', '"x"', 'null', '[]', 'true', '']) }),
      () => ({ contentType: 'application/json', body: toJsonText(deepNesting(r)) }),
      () => ({ contentType: 'application/json', body: '{"a": 1e999, "b": NaN}' }),
      () => ({ contentType: 'application/json; charset=latin1', body: '{}' }),
      () => ({ contentType: 'text/plain', body: 'hello' }),
      () => ({ contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=%E0%A4%A' }),
      () => ({ contentType: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form' }),
      () => ({ body: '{"suspended": true}' }),
    ];
    return r.pick(choices)();
  }

  private value(kind: Kind): Hostile {
    const r = this.r;
    switch (kind) {
      case 'bool':
        return r.chance(0.5) ? r.pick(BOOL_POISON) : wrongType(r);
      case 'int':
      case 'count':
      case 'duration':
        return hostileNumber(r);
      case 'date':
        return r.pick<Hostile>([...BAD_DATES, 42]);
      case 'ids':
      case 'list':
      case 'storedIds':
        return hostileIds(r, this.hugeIds);
      case 'variables':
        return hostileVariables(r);
      case 'varFilters':
        return [
          { name: r.pick(['a', longText(r)]), operator: r.pick(['eq', 'gt', 'x']), value: hostileAny(r) },
        ];
      case 'sorting':
        return r.chance(0.3)
          ? wrongType(r)
          : [{ sortBy: r.pick(['instanceId', hostileText(r)]), sortOrder: r.pick(['asc', 'x', 42]) }];
      case 'instructions':
        return this.instructions();
      case 'plan':
        return this.plan();
      case 'query':
        return r.chance(0.3)
          ? wrongType(r)
          : { processInstanceIds: hostileIds(r, this.hugeIds), businessKey: hostileAny(r) };
      case 'topics':
        return [
          {
            topicName: r.pick(['charge', hostileText(r)]),
            lockDuration: hostileNumber(r),
            variables: hostileIds(r, this.hugeIds),
          },
        ];
      case 'conditions':
        return [{ operator: r.pick(['gt', 'lt', 'x']), value: r.pick(BAD_DATES) }];
      default:
        return r.chance(0.3) ? hostileText(r) : hostileAny(r);
    }
  }

  private instructions(): Hostile {
    const r = this.r;
    if (r.chance(0.2)) return wrongType(r);
    return Array.from({ length: r.int(1, 3) }, () => ({
      type: r.pick([
        'startBeforeActivity',
        'startAfterActivity',
        'startTransition',
        'cancel',
        hostileText(r),
      ]),
      activityId: r.pick<Hostile>(['approve', longText(r), 42, null]),
      activityInstanceId: r.chance(0.3) ? hostileText(r) : null,
      transitionId: r.chance(0.3) ? hostileText(r) : null,
      variables: r.chance(0.3) ? hostileVariables(r) : null,
    }));
  }

  private plan(): Hostile {
    const r = this.r;
    if (r.chance(0.2)) return wrongType(r);
    const definition = () => r.pick<Hostile>([...this.targets.definition, hostileText(r), 42, null]);
    return {
      sourceProcessDefinitionId: definition(),
      targetProcessDefinitionId: definition(),
      instructions: [
        {
          sourceActivityIds: r.pick<Hostile>([['approve'], [], [longText(r)], 'x', null]),
          targetActivityIds: ['approve'],
        },
      ],
      variables: r.chance(0.3) ? hostileVariables(r) : null,
    };
  }

  /** Multipart deployments that are malformed, or well-formed with one part no deployment accepts. */
  private multipart(r: SeededRandom): { contentType?: string; body: Buffer } {
    const boundary = `----fuzz${r.text(12)}`;
    const bpmn = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x"><bpmn:process id="fuzz${r.text(8)}" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process></bpmn:definitions>`;
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const file = (name: string, content: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="data"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`;
    const end = `--${boundary}--\r\n`;
    const contentType = `multipart/form-data; boundary=${boundary}`;
    const whole = (...parts: string[]) => ({ contentType, body: Buffer.from(parts.join('') + end, 'utf8') });
    // Longer than the field allows: tenant ids hold 64 characters, names, sources and file names 255.
    const tooLongTenant = () => longText(r, [65, 256, 4_000]);
    const long = () => longText(r, [256, 301, 4_000]);
    const choices: Array<() => { contentType?: string; body: Buffer }> = [
      () => {
        const full = whole(field('deployment-name', 'n'), file('a.bpmn', bpmn)).body;
        return { contentType, body: full.subarray(0, r.int(1, full.length - 8)) };
      },
      () => ({ contentType, body: Buffer.from(field('deployment-name', 'n') + file('a.bpmn', bpmn)) }),
      () => ({ contentType: 'multipart/form-data', body: Buffer.from(file('a.bpmn', bpmn) + end) }),
      () => ({ contentType: 'multipart/form-data; boundary=other', body: whole(file('a.bpmn', bpmn)).body }),
      () => ({
        contentType,
        body: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n${end}`),
      }),
      () => ({
        contentType,
        body: Buffer.from(`--${boundary}\r\n${'X-Long: y\r\n'.repeat(5_000)}\r\n\r\n${end}`),
      }),
      () => whole(field('deployment-name', 'n')),
      () => whole(file(`${long()}.bpmn`, bpmn)),
      () => whole(field('deployment-name', long()), file('a.bpmn', bpmn)),
      () => whole(field('deployment-source', long()), file('a.bpmn', bpmn)),
      () => whole(field('tenant-id', tooLongTenant()), file('a.bpmn', bpmn)),
      () => whole(field('enable-duplicate-filtering', 'maybe'), file('a.bpmn', bpmn)),
      () => whole(field('deployment-name', 'a'), field('deployment-name', 'b'), file('a.bpmn', bpmn)),
      () => whole(field(hostileText(r).slice(0, 50).replace(/"/g, ''), 'x'), file('a.bpmn', bpmn)),
      () => whole(file('a.bpmn', hostileText(r))),
      () => whole(file('a.bpmn', bpmn), file('a.bpmn', bpmn)),
      () => whole(file('a.bpmn', `${'<x>'.repeat(50_000)}${'</x>'.repeat(50_000)}`)),
    ];
    return r.pick(choices)();
  }
}
