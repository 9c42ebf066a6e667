/**
 * Formatting library for the simulated docker CLI: Go templates (--format), tab-aligned tables,
 * Go-compatible JSON and the inspect documents, and docker's human durations.
 */
export * from './govalue.ts';
export * from './gotemplate.ts';
export * from './json.ts';
export * from './inspect.ts';
export * from './table.ts';
export * from './duration.ts';
