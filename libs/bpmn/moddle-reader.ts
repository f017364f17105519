/**
 * Reads BPMN XML into a moddle element tree with bpmn-moddle and the Camunda extension descriptor, so
 * `camunda:*` attributes land on the elements as properties (`asyncBefore`, `assignee`, `topic`, …).
 */
import { BpmnModdle, type FromXmlError, type ModdleWarning } from 'bpmn-moddle';
import camundaDescriptor from 'camunda-bpmn-moddle/resources/camunda.json';
import type { SourcePosition } from './line-locator';
import type { ModdleElement } from './moddle-element';

// Building the meta-model registry is the expensive part; reading with it keeps no state between calls.
const moddle = new BpmnModdle({ camunda: camundaDescriptor });

/** The element tree and the reader's warnings, or why the document could not be read at all. */
export type ReadOutcome =
  | { readonly ok: true; readonly definitions: ModdleElement; readonly warnings: readonly ModdleWarning[] }
  | { readonly ok: false; readonly failure: string; readonly warnings: readonly ModdleWarning[] };

/** Reads a `<definitions>` document. Never rejects: a fatal problem comes back as `ok: false`. */
export async function readDefinitions(xml: string): Promise<ReadOutcome> {
  try {
    const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
    return { ok: true, definitions: rootElement, warnings };
  } catch (error) {
    const warnings = (error as FromXmlError | undefined)?.warnings ?? [];
    return { ok: false, failure: error instanceof Error ? error.message : String(error), warnings };
  }
}

/** A part of the document the reader skipped, as reported in its `unparsable content …` messages. */
export interface UnreadableContent {
  /** The skipped start tag (e.g. `<task>`), or `null` when it was text or nothing. */
  readonly tag: string | null;
  readonly position: SourcePosition;
  /** The reader's reason, e.g. `duplicate ID <t>`, `closing tag mismatch`. */
  readonly reason: string;
}

const UNPARSABLE =
  /^unparsable content ([\s\S]*?) ?detected\n\tline: (\d+)\n\tcolumn: (\d+)\n\tnested error: ([\s\S]*)$/;

/** Decodes an `unparsable content` message; the reader's line and column are 0-based. */
export function unreadableContent(message: string): UnreadableContent | null {
  const match = UNPARSABLE.exec(message);
  if (match === null) return null;
  const [, content = '', line = '0', column = '0', reason = ''] = match;
  return {
    tag: content.startsWith('<') ? content : null,
    position: { line: Number(line) + 1, column: Number(column) + 1 },
    reason,
  };
}
