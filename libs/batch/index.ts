/** Batch lifecycle (create, seed, execute, monitor). Filled by the batch work. */
export {};
