/**
 * Messages between a page and the simulator's worker. The worker owns the world and the shell
 * session; the page owns the terminal (line editing happens there, so typing never waits).
 */
import type { TraceEvent } from '../../sim/trace/events.ts';
import type { Topology } from '../topology/model.ts';
import type { LabSpec } from './spec.ts';

export type ToWorker =
  /** build the world and run the setup commands; answered by `ready` or `failed` */
  | { readonly type: 'start'; readonly spec: LabSpec; readonly pace: boolean }
  /** what the learner entered (one or more lines); answered by `incomplete` or `done` */
  | { readonly type: 'input'; readonly text: string; readonly cmd: number }
  /** Ctrl+C */
  | { readonly type: 'interrupt' }
  /** Tab: complete the word before the cursor */
  | { readonly type: 'complete'; readonly id: number; readonly line: string; readonly cursor: number }
  /** run virtual time as fast as possible (tests, benchmarks) or at the learner's pace */
  | { readonly type: 'pace'; readonly pace: boolean };

export type FromWorker =
  | { readonly type: 'ready'; readonly prompt: string; readonly topology: Topology; readonly setup: readonly { command: string; output: string }[] }
  | { readonly type: 'failed'; readonly message: string }
  /** output of the running command (or of a background job), as it is written */
  | { readonly type: 'out'; readonly text: string }
  /** trace events caused by command `cmd`, in order, a batch at a time */
  | { readonly type: 'trace'; readonly cmd: number; readonly command: string; readonly events: readonly TraceEvent[] }
  | { readonly type: 'incomplete'; readonly cmd: number }
  | { readonly type: 'done'; readonly cmd: number; readonly status: number; readonly prompt: string; readonly topology: Topology | null; readonly ended: boolean }
  | { readonly type: 'completion'; readonly id: number; readonly start: number; readonly end: number; readonly candidates: readonly string[] };
