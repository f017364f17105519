import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CAMUNDA_ATTRIBUTES, CAMUNDA_EXTENSION_ELEMENTS, type ExtensionSupport } from '@libs/bpmn';

const README = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

const LABELS: Record<ExtensionSupport['support'], string> = {
  supported: 'supported',
  metadata: 'metadata (no behaviour, none in Camunda either)',
  ignored: 'accepted and ignored, with a warning',
  'refused element': 'only on refused elements',
};

/** The README's row for an extension: `| name | support | why |`. */
function expectedRow(name: string, support: ExtensionSupport): string {
  const why =
    support.support === 'ignored'
      ? support.reason
      : support.support === 'refused element'
        ? `${support.on} are refused at deployment`
        : '';
  return [name, LABELS[support.support], why].join(' | ');
}

/** The README's rows of the table whose header starts with `| <first> |`, cells trimmed. */
function tableRows(first: string): string[] {
  const lines = README.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\|\\s*${first}\\s*\\|`).test(line));
  expect(start).toBeGreaterThan(-1);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim())
        .join(' | '),
    );
  }
  return rows;
}

/** The README's "Supported BPMN" tables of Camunda extensions say what the code does, row for row. */
describe('the README’s Supported BPMN tables', () => {
  it('list every extension attribute with its support and reason', () => {
    const expected = Object.entries(CAMUNDA_ATTRIBUTES).map(([key, support]) => {
      const [name, owner] = key.split('@');
      const label = `\`camunda:${name}\`${owner ? ` on \`${owner.replace('bpmn:', '')}\`` : ''}`;
      return expectedRow(label, support);
    });
    expect(tableRows('Attribute')).toEqual(expected);
  });

  it('list every extension element with its support and reason', () => {
    const expected = Object.entries(CAMUNDA_EXTENSION_ELEMENTS).map(([type, support]) => {
      const local = type.slice('camunda:'.length);
      return expectedRow(`\`<camunda:${local.charAt(0).toLowerCase()}${local.slice(1)}>\``, support);
    });
    expect(tableRows('Extension element')).toEqual(expected);
  });
});
