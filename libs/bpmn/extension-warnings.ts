/**
 * Warns about every Camunda extension in an executable process that this service accepts but does not
 * act on (see `camunda-extensions.ts`), so nothing is ignored silently: the deployment answer carries
 * the warnings, each naming the element, the extension and the reason.
 */
import type { BuildContext } from './build-context';
import { attributeSupport, CAMUNDA_EXTENSION_ELEMENTS, type ExtensionSupport } from './camunda-extensions';
import { elementId, elementName, isModdleElement, readElements, type ModdleElement } from './moddle-element';

interface DescriptorProperty {
  readonly name: string;
  readonly isAttr?: boolean;
  readonly isReference?: boolean;
  readonly ns: { readonly prefix: string; readonly localName: string };
}

const descriptorProperties = (element: ModdleElement): readonly DescriptorProperty[] =>
  (element.$descriptor as { properties?: DescriptorProperty[] } | undefined)?.properties ?? [];

const isSet = (element: ModdleElement, name: string) => Object.prototype.hasOwnProperty.call(element, name);

/** Reports the ignored extensions of `process` and of everything it contains, as warnings. */
export function warnAboutIgnoredExtensions(process: ModdleElement, context: BuildContext): void {
  visit(process, elementId(process), context);
}

function visit(element: ModdleElement, ownerId: string | null, context: BuildContext): void {
  const id = elementId(element) ?? ownerId;
  const where = `<${elementName(element)}>${id === null ? '' : ` '${id}'`}`;
  for (const property of descriptorProperties(element)) {
    const name = property.ns.localName;
    if (property.ns.prefix !== 'camunda' || !property.isAttr || !isSet(element, name)) continue;
    warnIfIgnored(attributeSupport(name, element.$type), `camunda:${name} on ${where}`, id, context);
  }
  const extensions = readChild(element, 'extensionElements');
  for (const extension of extensions === null ? [] : readElements(extensions, 'values')) {
    if (!extension.$type.startsWith('camunda:')) continue;
    const support = CAMUNDA_EXTENSION_ELEMENTS[extension.$type];
    warnIfIgnored(support, `<camunda:${elementName(extension)}> on ${where}`, id, context);
  }
  for (const child of containedElements(element)) visit(child, id, context);
}

function warnIfIgnored(
  support: ExtensionSupport | undefined,
  what: string,
  elementId: string | null,
  context: BuildContext,
): void {
  if (support === undefined) {
    context.problems.warning(`${what} is not supported and is ignored`, { elementId });
  } else if (support.support === 'ignored') {
    context.problems.warning(`${what} is ignored: ${support.reason}`, { elementId });
  }
}

function readChild(element: ModdleElement, property: string): ModdleElement | null {
  const value = element[property];
  return isModdleElement(value) ? value : null;
}

/** The elements `element` contains (flow elements, event definitions, conditions…), never references. */
function containedElements(element: ModdleElement): ModdleElement[] {
  return descriptorProperties(element)
    .filter((property) => !property.isAttr && !property.isReference && property.name !== 'extensionElements')
    .flatMap((property) => {
      const value = element[property.ns.localName];
      const values: unknown[] = Array.isArray(value) ? value : [value];
      return values.filter(isModdleElement);
    });
}
