/** BPMN 2.0 XML → immutable process model. Pure: no I/O imports (enforced by lint). Filled by the engine work. */
export {};
