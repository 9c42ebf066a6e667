/**
 * Messages between a page and the simulator's worker. The worker owns the world and the shell
 * session; the page owns the terminal (line editing happens there, so typing never waits).
 */
import type { TraceEvent } from '../../sim/trace/events.ts';
import type { Topology } from '../topology/model.ts';
import type { LabSpec } from './spec.ts';
import type { HistoryEntry } from '../../labs/attempt.ts';
import type { Grade } from '../../labs/runner.ts';

/** Requests a graded lab's page makes of its worker; each is answered by a `lab-reply` with the same id. */
export type LabRequest =
  /** grade the world now */
  | { readonly op: 'check' }
  /** the next hint of the ladder */
  | { readonly op: 'hint' }
  /** take back the last command line */
  | { readonly op: 'undo' }
  /** the reference solution's commands */
  | { readonly op: 'solution' }
  /** a file as the learner's shell would read it */
  | { readonly op: 'read-file'; readonly path: string }
  /** write a file from the editor (recorded in the history as a command line) */
  | { readonly op: 'write-file'; readonly path: string; readonly text: string };

export type LabReply =
  | { readonly op: 'check'; readonly grade: Grade }
  | { readonly op: 'hint'; readonly hint: { readonly text: string; readonly index: number; readonly total: number } | null }
  | { readonly op: 'undo'; readonly line: string | null; readonly prompt: string; readonly topology: Topology }
  | { readonly op: 'solution'; readonly lines: readonly string[] }
  | { readonly op: 'read-file'; readonly text: string | null; readonly error?: string }
  | { readonly op: 'write-file'; readonly ok: boolean; readonly error?: string };

/** What a graded lab's page keeps after every change: enough to rebuild the world. */
export interface LabProgressState {
  readonly seed: number;
  readonly vars: Readonly<Record<string, string>>;
  readonly history: readonly HistoryEntry[];
  readonly hintsTotal: number;
  /** the texts of the hints revealed so far */
  readonly hints: readonly string[];
  /** the last Check's results, without their packets */
  readonly lastCheck: LastCheck | null;
}

export interface LastCheck {
  readonly passed: boolean;
  readonly tasks: readonly { readonly id: string; readonly ok: boolean; readonly message: string }[];
  readonly guards: readonly { readonly id: string; readonly ok: boolean; readonly message: string }[];
}

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
  | { readonly type: 'pace'; readonly pace: boolean }
  /** a graded lab's request */
  | { readonly type: 'lab'; readonly id: number; readonly req: LabRequest };

export type FromWorker =
  | { readonly type: 'ready'; readonly prompt: string; readonly topology: Topology; readonly setup: readonly { command: string; output: string }[] }
  | { readonly type: 'failed'; readonly message: string }
  /** output of the running command (or of a background job), as it is written */
  | { readonly type: 'out'; readonly text: string }
  /** trace events caused by command `cmd`, in order, a batch at a time */
  | { readonly type: 'trace'; readonly cmd: number; readonly command: string; readonly events: readonly TraceEvent[] }
  | { readonly type: 'incomplete'; readonly cmd: number }
  | { readonly type: 'done'; readonly cmd: number; readonly status: number; readonly prompt: string; readonly topology: Topology | null; readonly ended: boolean }
  | { readonly type: 'completion'; readonly id: number; readonly start: number; readonly end: number; readonly candidates: readonly string[] }
  | { readonly type: 'lab-reply'; readonly id: number; readonly reply: LabReply }
  /** a graded lab's state after it started and after every change */
  | { readonly type: 'lab-state'; readonly state: LabProgressState };
