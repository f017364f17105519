import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  /** Loads again now (after an action), without waiting for the next poll. */
  readonly reload: () => void;
}

/**
 * Loads `load()` when `key` changes and again every `intervalMs` while `live` holds: the console's live
 * updates (the API shares answers for 500 ms, so many open consoles cost little). A slow answer is
 * never overtaken by an older one.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  key: string,
  intervalMs: number,
  live = true,
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(() => {
    const mine = ++generation.current;
    loader
      .current()
      .then((value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
      })
      .catch((reason: unknown) => {
        if (mine !== generation.current) return;
        setError(reason instanceof Error ? reason : new Error(String(reason)));
      });
  }, []);

  useEffect(() => {
    setData(undefined);
    reload();
  }, [key, reload]);

  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(reload, intervalMs);
    return () => clearInterval(timer);
  }, [key, live, intervalMs, reload]);

  return { data, error, reload };
}

/** The location hash as a path (`#/batch/42` → `/batch/42`), following its changes. */
export function useHashPath(): string {
  const read = () => window.location.hash.replace(/^#/, '') || '/';
  const [path, setPath] = useState(read);
  useEffect(() => {
    const changed = () => setPath(read());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return path;
}
