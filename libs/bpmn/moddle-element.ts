/**
 * Checked reads of moddle elements. The reader is lax, so a property may be absent or of an unexpected
 * shape; these helpers turn whatever is there into `null`/empty instead of trusting a cast.
 */
import type { ModdleElement } from 'bpmn-moddle';

export type { ModdleElement };

/** True for objects produced by moddle (they all carry a `$type`). */
export function isModdleElement(value: unknown): value is ModdleElement {
  return (
    typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string'
  );
}

/** The element name as written in XML without prefix: `bpmn:UserTask` → `userTask`. */
export function elementName(element: ModdleElement): string {
  const local = element.$type.slice(element.$type.indexOf(':') + 1);
  return local.charAt(0).toLowerCase() + local.slice(1);
}

/** A string property as written (may be empty), or `null` when absent. */
export function readString(element: ModdleElement, property: string): string | null {
  const value = element[property];
  return typeof value === 'string' ? value : null;
}

/** A string property trimmed, or `null` when absent or blank. */
export function readText(element: ModdleElement, property: string): string | null {
  const value = readString(element, property)?.trim();
  return value === undefined || value === '' ? null : value;
}

/** The element's `id`, or `null` when it has none (or an empty one). */
export function elementId(element: ModdleElement): string | null {
  return readText(element, 'id');
}

/** A boolean property; moddle applies meta-model defaults (e.g. `cancelActivity` is `true`). */
export function readBoolean(element: ModdleElement, property: string): boolean | null {
  const value = element[property];
  return typeof value === 'boolean' ? value : null;
}

/** A single contained or referenced element, or `null`. */
export function readElement(element: ModdleElement, property: string): ModdleElement | null {
  const value = element[property];
  return isModdleElement(value) ? value : null;
}

/** A collection of contained or referenced elements, in document order. */
export function readElements(element: ModdleElement, property: string): readonly ModdleElement[] {
  const value = element[property];
  return Array.isArray(value) ? value.filter(isModdleElement) : [];
}

/** A comma-separated attribute (`camunda:candidateGroups="a, b"`) as a trimmed list without blanks. */
export function readList(element: ModdleElement, property: string): readonly string[] {
  const value = readString(element, property) ?? '';
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
