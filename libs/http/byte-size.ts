const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Bytes of a size such as `512kb` or `10mb` (the format `HTTP_BODY_LIMIT` is validated against). */
export function parseByteSize(size: string): number {
  const match = /^(\d+)(b|kb|mb|gb)?$/i.exec(size.trim());
  if (!match) throw new Error(`Not a byte size: '${size}'`);
  return Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!;
}
