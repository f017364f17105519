/** Ends an exhaustive `switch`: compiles only when every member of the union has been handled. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
