import { ShortLivedCache } from './short-lived-cache';

describe('ShortLivedCache', () => {
  let now = 0;
  const cache = () => new ShortLivedCache(500, 2, () => now);
  beforeEach(() => {
    now = 0;
  });

  it('shares an answer for the ttl, then loads afresh', async () => {
    const shared = cache();
    let loads = 0;
    const load = async () => (loads += 1);
    expect(await shared.get('a', load)).toBe(1);
    now = 499;
    expect(await shared.get('a', load)).toBe(1);
    now = 500;
    expect(await shared.get('a', load)).toBe(2);
  });

  it('runs one load per key at a time, however long it takes, so answers never go back in time', async () => {
    const shared = cache();
    let finish: (value: string) => void = () => undefined;
    const slow = shared.get('a', () => new Promise<string>((resolve) => (finish = resolve)));
    now = 10_000;
    const joined = shared.get('a', async () => 'newer, but started while the first still ran');
    finish('first');
    expect(await Promise.all([slow, joined])).toEqual(['first', 'first']);
    expect(await shared.get('a', async () => 'second')).toBe('second');
  });

  it('keeps no failure, and forgets everything on clear', async () => {
    const shared = cache();
    await expect(shared.get('a', async () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(await shared.get('a', async () => 'loaded')).toBe('loaded');
    shared.clear();
    expect(await shared.get('a', async () => 'after clear')).toBe('after clear');
  });

  it('keeps at most its capacity of keys, dropping the least recently loaded', async () => {
    const shared = cache();
    for (const key of ['a', 'b', 'c']) await shared.get(key, async () => `${key}1`);
    expect(await shared.get('a', async () => 'a2')).toBe('a2');
    expect(await shared.get('c', async () => 'c2')).toBe('c1');
  });
});
