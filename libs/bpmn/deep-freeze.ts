/**
 * Freezes a plain data structure in place, arrays and nested objects included. Maps are walked and
 * marked frozen, but a frozen `Map` can still be `set`: its read-only-ness is the `ReadonlyMap` type.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (value instanceof Map) {
    for (const [key, entry] of value) {
      deepFreeze(key);
      deepFreeze(entry);
    }
  } else {
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return Object.freeze(value);
}
