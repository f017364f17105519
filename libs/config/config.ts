import { existsSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { envSchema, redisChoiceProblem } from './env.schema';

/** The typed, frozen configuration every composition root receives. */
export type Config = DeepReadonly<z.output<typeof envSchema>>;

type DeepReadonly<T> = T extends (infer U)[]
  ? ReadonlyArray<DeepReadonly<U>>
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Thrown when the environment does not satisfy the schema; lists every invalid key at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses an environment (by default `process.env`, after loading `.env` from the working directory
 * when present; variables already set win over the file). Never reads the environment anywhere else.
 */
export function loadConfig(env: NodeJS.ProcessEnv = readProcessEnv()): Config {
  const result = envSchema.safeParse(env);
  const redisProblem = redisChoiceProblem(env);
  if (!result.success || redisProblem !== undefined) {
    const problems = (result.error?.issues ?? []).map((issue) => {
      const key = issue.path.join('.') || '(environment)';
      const message = issue.code === 'invalid_type' && env[key] === undefined ? 'is required' : issue.message;
      return `${key}: ${message}`;
    });
    throw new ConfigError(redisProblem === undefined ? problems : [...problems, redisProblem]);
  }
  return deepFreeze(result.data);
}

function readProcessEnv(): NodeJS.ProcessEnv {
  const dotEnv = path.resolve(process.cwd(), '.env');
  if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  return process.env;
}

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}
