/**
 * The BullMQ key prefix for a configured `QUEUE_PREFIX`. Wrapping it in a `{hash tag}` keeps every key
 * of every queue in one Redis Cluster slot, which BullMQ's multi-key Lua scripts require.
 */
export function bullPrefix(queuePrefix: string): string {
  return `{${queuePrefix}}`;
}
