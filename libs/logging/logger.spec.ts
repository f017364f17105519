import { PassThrough } from 'node:stream';
import { createLogger } from './logger';

/** Writes one `pretty` line and resolves to it. */
async function prettyLine(colors?: boolean): Promise<string> {
  const stream = new PassThrough();
  const written = new Promise<string>((resolve) =>
    stream.once('data', (chunk: Buffer) => resolve(chunk.toString())),
  );
  createLogger({ level: 'info', format: 'pretty', stream, ...(colors === undefined ? {} : { colors }) }).info(
    'batch completed',
    { batchId: 'b-1' },
  );
  return written;
}

describe('pretty log lines', () => {
  const ansi = new RegExp(String.fromCharCode(27) + '\\[');

  it('carry no ANSI colour codes when they do not go to a terminal', async () => {
    const line = await prettyLine();
    expect(line).toContain('info batch completed {"batchId":"b-1"}');
    expect(line).not.toMatch(ansi);
  });

  it('colour the level when asked to', async () => {
    expect(await prettyLine(true)).toMatch(ansi);
  });
});
