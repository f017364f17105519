/**
 * Minimal typing for `bpmn-moddle`, whose main entry ships no declarations (its `./types` export only
 * describes the element meta-model). Elements are read through the checked accessors in
 * `moddle-element.ts`, so properties are typed `unknown` here on purpose.
 */
declare module 'bpmn-moddle' {
  /** A parsed element of the BPMN (or an extension) meta-model. */
  export interface ModdleElement {
    readonly $type: string;
    readonly $parent?: ModdleElement;
    readonly [property: string]: unknown;
  }

  /** A problem the lax reader recovered from; `element`/`property`/`value` are set for attributes and references. */
  export interface ModdleWarning {
    readonly message: string;
    readonly error?: Error;
    readonly element?: ModdleElement;
    readonly property?: string;
    readonly value?: string;
  }

  export interface FromXmlResult {
    readonly rootElement: ModdleElement;
    readonly elementsById: Readonly<Record<string, ModdleElement>>;
    readonly warnings: readonly ModdleWarning[];
  }

  /** The rejection of `fromXML`: the document could not be read at all. */
  export interface FromXmlError extends Error {
    readonly warnings?: readonly ModdleWarning[];
  }

  /** Extension packages (e.g. the Camunda descriptor) by prefix. */
  export type ModdlePackages = Readonly<Record<string, unknown>>;

  export class BpmnModdle {
    constructor(packages?: ModdlePackages, options?: Readonly<Record<string, unknown>>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
  }
}
