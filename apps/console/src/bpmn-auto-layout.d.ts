/** bpmn-auto-layout ships no types: it lays out a BPMN process without diagram information. */
declare module 'bpmn-auto-layout' {
  /** The same XML with a generated `bpmndi` diagram. */
  export function layoutProcess(xml: string): Promise<string>;
}
