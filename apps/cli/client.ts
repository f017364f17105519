/**
 * The CLI's only way into the service: its REST API over HTTP (Node's fetch), with Basic auth when
 * given. An error answer becomes an {@link ApiError} carrying Camunda's `{type, message}`.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** Where the service is and who calls it. */
export interface Connection {
  /** The REST root, e.g. `http://localhost:8080/engine-rest`. */
  readonly restUrl: string;
  readonly user?: string;
  readonly password?: string;
}

/** An error answer of the service (or no answer at all: status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** `http://host:8080` or `http://host:8080/engine-rest` → the REST root, without a trailing slash. */
export function restRoot(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/engine-rest') ? trimmed : `${trimmed}/engine-rest`;
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export class ApiClient {
  constructor(private readonly connection: Connection) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.send<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, JSON.stringify(body));
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, JSON.stringify(body));
  }

  delete(path: string, query: Query = {}): Promise<unknown> {
    return this.send('DELETE', withQuery(path, query));
  }

  /** `POST /deployment/create` with the files as multipart parts. */
  async deploy<T>(files: readonly string[], fields: Readonly<Record<string, string>>): Promise<T> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) {
      form.append(basename(file), new Blob([await readFile(file)]), basename(file));
    }
    return this.send<T>('POST', '/deployment/create', form);
  }

  private async send<T>(method: string, path: string, body?: string | FormData): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (typeof body === 'string') headers['content-type'] = 'application/json';
    const { user, password } = this.connection;
    if (user !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;
    }
    let response: Response;
    try {
      response = await fetch(`${this.connection.restUrl}${path}`, { method, headers, body });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? String(error);
      throw new ApiError(0, 'ConnectionError', `Cannot reach ${this.connection.restUrl}: ${cause}`);
    }
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : parseJson(text);
    if (!response.ok) {
      const error = (parsed ?? {}) as { type?: string; message?: string };
      throw new ApiError(
        response.status,
        error.type ?? 'HttpError',
        error.message ?? `${method} ${path} answered ${response.status}`,
      );
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}
