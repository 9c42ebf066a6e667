/**
 * The learner's progress: lessons read, quiz answers, labs solved (when labs exist). It lives in
 * the browser only: a zustand store persisted to localStorage under a schema version. Older
 * versions are migrated step by step; data that cannot be read (not JSON, the wrong shape,
 * another application's, a newer version) is set aside under a backup key and replaced by an
 * empty record, with a notice for the learner, never an exception. The learner can export the
 * record to a file and import it again.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { persist, type PersistStorage, type StorageValue } from 'zustand/middleware';

export const PROGRESS_VERSION = 2;
export const STORAGE_KEY = 'packet-path:progress';
export const BACKUP_KEY = 'packet-path:progress:discarded';
export const EXPORT_FORMAT = 'packet-path-progress';

export interface QuizAnswer {
  /** the option index (as text) or the text typed */
  readonly answer: string;
  readonly correct: boolean;
  /** ISO time of the answer */
  readonly at: string;
}

/** One thing the learner did to a lab's world (src/labs/attempt.ts `HistoryEntry`). */
export type LabHistoryEntry =
  | { readonly kind: 'line'; readonly line: string; readonly stoppedAfter?: number }
  | { readonly kind: 'check' }
  | { readonly kind: 'hint' };

/** A lab in progress: its variant and what was done to it, replayed on reload. */
export interface LabAttemptRecord {
  readonly seed: number;
  readonly history: readonly LabHistoryEntry[];
  /** time spent on the lab with the page visible */
  readonly elapsedMs: number;
  readonly solutionShown: boolean;
}

export interface LabProgress {
  readonly solved: boolean;
  /** when it was solved (or last changed) */
  readonly at: string;
  /** the result when solved: score out of 100, time, hints used, the variant */
  readonly score?: number;
  readonly timeMs?: number;
  readonly hintsUsed?: number;
  readonly seed?: number;
  /** the current attempt, if one is under way or was left */
  readonly attempt?: LabAttemptRecord;
}

export interface ProgressData {
  /** by lesson slug */
  readonly lessons: Readonly<Record<string, { readonly read: boolean; readonly at: string }>>;
  /** by `lesson/quiz/question` */
  readonly quizzes: Readonly<Record<string, QuizAnswer>>;
  /** by lab id */
  readonly labs: Readonly<Record<string, LabProgress>>;
}

export interface ProgressState extends ProgressData {
  /** a message for the learner about their saved data (a reset, an import), or null */
  readonly notice: { readonly text: string; readonly error: boolean } | null;
}

export function emptyProgress(): ProgressData {
  return { lessons: {}, quizzes: {}, labs: {} };
}

// ---- validation (hand-written: the page ships no schema library) ----------------------------

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isTime = (x: unknown): x is string => typeof x === 'string' && x.length <= 40 && !Number.isNaN(Date.parse(x));
const KEY_RE = /^[a-z0-9][a-z0-9/_-]{0,120}$/;

function checkMap<T>(x: unknown, entry: (v: Record<string, unknown>) => T | null): Record<string, T> | null {
  if (!isObj(x)) return null;
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(x)) {
    if (!KEY_RE.test(k) || !isObj(v)) return null;
    const e = entry(v);
    if (e === null) return null;
    out[k] = e;
  }
  return out;
}

const isCount = (x: unknown, max: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
const MAX_HISTORY = 5000;

function checkEntry(e: unknown): LabHistoryEntry | null {
  if (!isObj(e)) return null;
  if (e.kind === 'check' || e.kind === 'hint') return Object.keys(e).length === 1 ? { kind: e.kind } : null;
  if (e.kind !== 'line' || typeof e.line !== 'string' || e.line.length > 100_000) return null;
  if (e.stoppedAfter === undefined) return { kind: 'line', line: e.line };
  return isCount(e.stoppedAfter, Number.MAX_SAFE_INTEGER) ? { kind: 'line', line: e.line, stoppedAfter: e.stoppedAfter } : null;
}

function checkAttempt(a: unknown): LabAttemptRecord | null {
  if (!isObj(a) || !isCount(a.seed, 2 ** 31) || !Array.isArray(a.history) || a.history.length > MAX_HISTORY) return null;
  if (!isCount(a.elapsedMs, Number.MAX_SAFE_INTEGER) || typeof a.solutionShown !== 'boolean') return null;
  const history: LabHistoryEntry[] = [];
  for (const e of a.history) {
    const c = checkEntry(e);
    if (!c) return null;
    history.push(c);
  }
  return { seed: a.seed, history, elapsedMs: a.elapsedMs, solutionShown: a.solutionShown };
}

function checkLab(v: Record<string, unknown>): LabProgress | null {
  if (typeof v.solved !== 'boolean' || !isTime(v.at)) return null;
  const out: { -readonly [K in keyof LabProgress]: LabProgress[K] } = { solved: v.solved, at: v.at };
  if (v.score !== undefined) {
    if (!isCount(v.score, 100)) return null;
    out.score = v.score;
  }
  for (const k of ['timeMs', 'hintsUsed', 'seed'] as const) {
    if (v[k] === undefined) continue;
    if (!isCount(v[k], Number.MAX_SAFE_INTEGER)) return null;
    out[k] = v[k] as number;
  }
  if (v.attempt !== undefined) {
    const a = checkAttempt(v.attempt);
    if (!a) return null;
    out.attempt = a;
  }
  return out;
}

/** The progress record in `x`, or null when `x` is not a valid current-version record. */
export function validateProgress(x: unknown): ProgressData | null {
  if (!isObj(x)) return null;
  const allowed = new Set(['lessons', 'quizzes', 'labs']);
  for (const k of Object.keys(x)) if (!allowed.has(k)) return null;
  const lessons = checkMap(x.lessons ?? {}, (v) => (typeof v.read === 'boolean' && isTime(v.at) ? { read: v.read, at: v.at } : null));
  const quizzes = checkMap(x.quizzes ?? {}, (v) => (typeof v.answer === 'string' && v.answer.length <= 500 && typeof v.correct === 'boolean' && isTime(v.at) ? { answer: v.answer, correct: v.correct, at: v.at } : null));
  const labs = checkMap(x.labs ?? {}, checkLab);
  if (!lessons || !quizzes || !labs) return null;
  return { lessons, quizzes, labs };
}

/** Migrations: MIGRATIONS[n] turns a version-n record into a version n+1 record. */
export type Migrations = Readonly<Record<number, (old: unknown) => unknown>>;
export const MIGRATIONS: Migrations = {
  // 1 → 2: labs gained optional results and the attempt under way; a version 1 record is a valid
  // version 2 record as it is
  1: (old) => old,
};

export type MigrateResult = { ok: true; data: ProgressData } | { ok: false; reason: string };

/** Bring a record of `version` up to PROGRESS_VERSION and validate it. */
export function migrate(data: unknown, version: number, migrations: Migrations = MIGRATIONS, current = PROGRESS_VERSION): MigrateResult {
  if (!Number.isInteger(version) || version < 0) return { ok: false, reason: 'it has no valid version number' };
  if (version > current) return { ok: false, reason: `it was saved by a newer version of Packet Path (format ${version}; this page reads ${current})` };
  let d = data;
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step) return { ok: false, reason: `format ${version} cannot be converted to format ${current}` };
    try {
      d = step(d);
    } catch {
      return { ok: false, reason: `converting it from format ${v} failed` };
    }
  }
  const valid = validateProgress(d);
  return valid ? { ok: true, data: valid } : { ok: false, reason: 'its contents are not a Packet Path progress record' };
}

// ---- storage: read defensively, set aside what cannot be read ---------------------------------

interface Persisted {
  readonly data: ProgressData;
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

let readNotice: ProgressState['notice'] = null;

function setAside(raw: string, reason: string): void {
  const s = safeStorage();
  try {
    s?.setItem(BACKUP_KEY, raw);
    s?.removeItem(STORAGE_KEY);
  } catch {
    // nothing more we can do
  }
  readNotice = { text: `Your saved progress could not be read (${reason}), so it starts afresh. A copy of the old data is kept in this browser under "${BACKUP_KEY}".`, error: true };
}

/** The persist middleware's storage: parses, checks and migrates; never throws. */
export function progressStorage(): PersistStorage<Persisted> {
  return {
    getItem: (name): StorageValue<Persisted> | null => {
      const s = safeStorage();
      let raw: string | null = null;
      try {
        raw = s?.getItem(name) ?? null;
      } catch {
        return null;
      }
      if (raw === null) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        setAside(raw, 'it is not valid JSON');
        return null;
      }
      if (!isObj(parsed) || !isObj(parsed.state) || typeof parsed.version !== 'number') {
        setAside(raw, 'it is not a Packet Path progress record');
        return null;
      }
      const r = migrate(parsed.state.data, parsed.version);
      if (!r.ok) {
        setAside(raw, r.reason);
        return null;
      }
      return { state: { data: r.data }, version: PROGRESS_VERSION };
    },
    setItem: (name, value) => {
      try {
        safeStorage()?.setItem(name, JSON.stringify(value));
      } catch {
        // full or unavailable: progress lasts for this page only
      }
    },
    removeItem: (name) => {
      try {
        safeStorage()?.removeItem(name);
      } catch {
        // ignore
      }
    },
  };
}

// ---- the store ------------------------------------------------------------------------------

export type ProgressStore = StoreApi<ProgressState> & { persist: { rehydrate(): Promise<void> | void } };

export function createProgressStore(): ProgressStore {
  readNotice = null;
  const store = createStore<ProgressState>()(
    persist<ProgressState, [], [], Persisted>(() => ({ ...emptyProgress(), notice: null }), {
      name: STORAGE_KEY,
      version: PROGRESS_VERSION,
      storage: progressStorage(),
      partialize: (s) => ({ data: { lessons: s.lessons, quizzes: s.quizzes, labs: s.labs } }),
      // getItem has migrated already; this only keeps persist from complaining
      migrate: (persisted) => persisted as Persisted,
      merge: (persisted, current) => {
        const p = persisted as Persisted | undefined;
        const data = p?.data ?? emptyProgress();
        return { ...current, ...data, notice: readNotice ?? current.notice };
      },
    }),
  ) as ProgressStore;
  if (readNotice && !store.getState().notice) store.setState({ notice: readNotice });
  return store;
}

let shared: ProgressStore | null = null;

/** The page's progress store (one per page), kept in step with other tabs. */
export function progressStore(): ProgressStore {
  if (!shared) {
    shared = createProgressStore();
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', (ev) => {
        if (ev.key === STORAGE_KEY) void shared?.persist.rehydrate();
      });
    }
  }
  return shared;
}

const now = () => new Date().toISOString();

export function markRead(store: StoreApi<ProgressState>, slug: string, read: boolean): void {
  const s = store.getState();
  store.setState({ lessons: { ...s.lessons, [slug]: { read, at: now() } } });
}

export function recordAnswer(store: StoreApi<ProgressState>, key: string, answer: string, correct: boolean): void {
  const s = store.getState();
  store.setState({ quizzes: { ...s.quizzes, [key]: { answer: answer.slice(0, 500), correct, at: now() } } });
}

/** Keep a lab's attempt (its variant and history) so a reload can rebuild the world. */
export function saveLabAttempt(store: StoreApi<ProgressState>, id: string, attempt: LabAttemptRecord): void {
  const s = store.getState();
  const prev = s.labs[id];
  store.setState({ labs: { ...s.labs, [id]: { ...(prev ?? { solved: false }), at: prev?.at ?? now(), attempt } } });
}

/** Forget a lab's attempt (the learner starts a new variant or resets). */
export function clearLabAttempt(store: StoreApi<ProgressState>, id: string): void {
  const s = store.getState();
  const prev = s.labs[id];
  if (!prev) return;
  const { attempt: _drop, ...rest } = prev;
  store.setState({ labs: { ...s.labs, [id]: rest } });
}

/** Record a solved lab with its score; a better earlier score is kept. */
export function recordLabSolved(store: StoreApi<ProgressState>, id: string, result: { score: number; timeMs: number; hintsUsed: number; seed: number }): void {
  const s = store.getState();
  const prev = s.labs[id];
  const keepOld = prev?.solved && (prev.score ?? 0) > result.score;
  const best = keepOld ? { score: prev.score, timeMs: prev.timeMs, hintsUsed: prev.hintsUsed, seed: prev.seed, at: prev.at } : { ...result, at: now() };
  store.setState({ labs: { ...s.labs, [id]: { ...prev, ...best, solved: true } } });
}

export function clearNotice(store: StoreApi<ProgressState>): void {
  store.setState({ notice: null });
}

export function resetProgress(store: StoreApi<ProgressState>): void {
  store.setState({ ...emptyProgress(), notice: { text: 'Your progress was cleared.', error: false } });
}

// ---- export and import --------------------------------------------------------------------

export function exportProgress(s: ProgressData, when = new Date()): string {
  const data: ProgressData = { lessons: s.lessons, quizzes: s.quizzes, labs: s.labs };
  return `${JSON.stringify({ format: EXPORT_FORMAT, version: PROGRESS_VERSION, exportedAt: when.toISOString(), progress: data }, null, 2)}\n`;
}

export type ImportResult = { ok: true; data: ProgressData; summary: string } | { ok: false; message: string };

/** Read an exported file's text. */
export function parseExport(text: string, migrations: Migrations = MIGRATIONS): ImportResult {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The file is not a Packet Path progress file (it is not JSON).' };
  }
  if (!isObj(x) || x.format !== EXPORT_FORMAT) return { ok: false, message: 'The file is not a Packet Path progress file.' };
  const r = migrate(x.progress, typeof x.version === 'number' ? x.version : -1, migrations);
  if (!r.ok) return { ok: false, message: `The file cannot be imported: ${r.reason}.` };
  return { ok: true, data: r.data, summary: summarize(r.data) };
}

export function summarize(d: ProgressData): string {
  const read = Object.values(d.lessons).filter((l) => l.read).length;
  const answers = Object.keys(d.quizzes).length;
  const right = Object.values(d.quizzes).filter((q) => q.correct).length;
  const solved = Object.values(d.labs).filter((l) => l.solved).length;
  return `${read} lesson${read === 1 ? '' : 's'} read, ${answers} quiz answer${answers === 1 ? '' : 's'} (${right} right), ${solved} lab${solved === 1 ? '' : 's'} solved`;
}

export function importProgress(store: StoreApi<ProgressState>, text: string): ImportResult {
  const r = parseExport(text);
  if (r.ok) store.setState({ ...r.data, notice: { text: `Imported your progress: ${r.summary}.`, error: false } });
  else store.setState({ notice: { text: r.message, error: true } });
  return r;
}
