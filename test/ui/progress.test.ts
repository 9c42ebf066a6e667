/** The progress store: validation, migration, unreadable data set aside, export and import. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKUP_KEY,
  createProgressStore,
  emptyProgress,
  EXPORT_FORMAT,
  exportProgress,
  importProgress,
  markRead,
  migrate,
  parseExport,
  PROGRESS_VERSION,
  clearLabAttempt,
  recordLabSolved,
  saveLabAttempt,
  recordAnswer,
  STORAGE_KEY,
  validateProgress,
} from '../../src/ui/store/progress.ts';

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, String(v));
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
  clear() {
    this.data.clear();
  }
  key() {
    return null;
  }
  get length() {
    return this.data.size;
  }
}

const T = '2026-01-05T09:00:00.000Z';
let storage: MemoryStorage;

beforeEach(() => {
  storage = new MemoryStorage();
  (globalThis as { localStorage?: unknown }).localStorage = storage;
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('validateProgress', () => {
  it.each([
    ['empty record', {}, true],
    ['a read lesson', { lessons: { 'bridges': { read: true, at: T } } }, true],
    ['a quiz answer', { quizzes: { 'bridges/q/0': { answer: '1', correct: false, at: T } } }, true],
    ['not an object', [1, 2], false],
    ['an unknown field', { lessons: {}, theme: 'dark' }, false],
    ['a bad time', { lessons: { x: { read: true, at: 'yesterday' } } }, false],
    ['a bad key', { lessons: { '../etc': { read: true, at: T } } }, false],
    ['a wrong type', { quizzes: { 'a/b/0': { answer: 1, correct: true, at: T } } }, false],
  ])('%s', (_, x, ok) => {
    expect(validateProgress(x) !== null).toBe(ok);
  });
});

describe('migrate', () => {
  it('runs the steps from an old version up to the current one', () => {
    const migrations = { 0: (old: unknown) => ({ lessons: Object.fromEntries(((old as { read: string[] }).read).map((s) => [s, { read: true, at: T }])) }) };
    const r = migrate({ read: ['bridges'] }, 0, migrations, 1);
    expect(r).toEqual({ ok: true, data: { lessons: { bridges: { read: true, at: T } }, quizzes: {}, labs: {} } });
  });
  it('refuses newer versions, missing steps and failing steps', () => {
    expect(migrate({}, PROGRESS_VERSION + 1)).toMatchObject({ ok: false, reason: expect.stringContaining('newer version') });
    expect(migrate({}, 0, {}, 1)).toMatchObject({ ok: false, reason: expect.stringContaining('cannot be converted') });
    expect(migrate({}, 0, { 0: () => { throw new Error('x'); } }, 1)).toMatchObject({ ok: false });
    expect(migrate({}, -1)).toMatchObject({ ok: false });
  });
});

describe('the persisted store', () => {
  it('saves and reloads progress', () => {
    const s = createProgressStore();
    markRead(s, 'bridges', true);
    recordAnswer(s, 'bridges/quiz/0', '2', true);
    const saved = JSON.parse(storage.getItem(STORAGE_KEY)!);
    expect(saved.version).toBe(PROGRESS_VERSION);
    const again = createProgressStore();
    expect(again.getState().lessons.bridges.read).toBe(true);
    expect(again.getState().quizzes['bridges/quiz/0']).toMatchObject({ answer: '2', correct: true });
    expect(again.getState().notice).toBeNull();
  });

  it.each([
    ['corrupt JSON', '{"state": {"data": '],
    ['foreign data', JSON.stringify({ user: 'someone else', items: [1, 2, 3] })],
    ['a wrong shape', JSON.stringify({ state: { data: { lessons: 'all' } }, version: 1 })],
    ['a newer version', JSON.stringify({ state: { data: {} }, version: 99 })],
  ])('sets aside %s with a notice, and starts empty', (_, raw) => {
    storage.setItem(STORAGE_KEY, raw);
    const s = createProgressStore();
    expect(s.getState().lessons).toEqual({});
    expect(s.getState().notice?.error).toBe(true);
    expect(s.getState().notice?.text).toMatch(/could not be read/);
    expect(storage.getItem(BACKUP_KEY)).toBe(raw);
    expect(storage.getItem(STORAGE_KEY)).not.toBe(raw);
  });

  it('works without localStorage', () => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
    const s = createProgressStore();
    markRead(s, 'x', true);
    expect(s.getState().lessons.x.read).toBe(true);
  });
});

describe('export and import', () => {
  it('round-trips', () => {
    const data = { ...emptyProgress(), lessons: { bridges: { read: true, at: T } }, quizzes: { 'bridges/q/1': { answer: 'lo', correct: true, at: T } } };
    const text = exportProgress(data, new Date(T));
    expect(JSON.parse(text)).toMatchObject({ format: EXPORT_FORMAT, version: PROGRESS_VERSION, exportedAt: T });
    const r = parseExport(text);
    expect(r).toEqual({ ok: true, data, summary: '1 lesson read, 1 quiz answer (1 right), 0 labs solved' });
    const s = createProgressStore();
    importProgress(s, text);
    expect(s.getState().lessons.bridges.read).toBe(true);
    expect(s.getState().notice).toEqual({ text: 'Imported your progress: 1 lesson read, 1 quiz answer (1 right), 0 labs solved.', error: false });
  });

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['another format', JSON.stringify({ format: 'other', version: 1, progress: {} }), /not a Packet Path progress file/],
    ['a newer version', JSON.stringify({ format: EXPORT_FORMAT, version: 7, progress: {} }), /newer version/],
    ['bad contents', JSON.stringify({ format: EXPORT_FORMAT, version: 1, progress: { lessons: 3 } }), /not a Packet Path progress record/],
  ])('rejects %s and keeps the current progress', (_, text, msg) => {
    const s = createProgressStore();
    markRead(s, 'bridges', true);
    const r = importProgress(s, text);
    expect(r.ok).toBe(false);
    expect(s.getState().notice?.text).toMatch(msg);
    expect(s.getState().lessons.bridges.read).toBe(true);
  });
});

describe('labs in the progress record', () => {
  const attempt = { seed: 42, history: [{ kind: 'line', line: 'docker ps' }, { kind: 'check' }, { kind: 'line', line: 'ping 10.0.0.1', stoppedAfter: 3_000_000 }, { kind: 'hint' }], elapsedMs: 61_000, solutionShown: false };

  it('keeps an attempt and a result through export and import, and a version 1 record still reads', () => {
    const data = { ...emptyProgress(), labs: { 'names-dont-resolve': { solved: true, at: T, score: 85, timeMs: 300_000, hintsUsed: 1, seed: 42, attempt } } };
    const r = parseExport(exportProgress(data as never, new Date(T)));
    expect(r).toMatchObject({ ok: true, data, summary: '0 lessons read, 0 quiz answers (0 right), 1 lab solved' });
    const v1 = JSON.stringify({ format: EXPORT_FORMAT, version: 1, progress: { lessons: {}, quizzes: {}, labs: { 'no-internet': { solved: true, at: T } } } });
    expect(parseExport(v1)).toMatchObject({ ok: true, data: { labs: { 'no-internet': { solved: true, at: T } } } });
  });

  it('refuses a damaged attempt', () => {
    const bad = [
      { ...attempt, history: [{ kind: 'line' }] },
      { ...attempt, history: [{ kind: 'rm -rf' }] },
      { ...attempt, history: [{ kind: 'check', extra: 1 }] },
      { ...attempt, seed: -1 },
      { ...attempt, history: [{ kind: 'line', line: 'x', stoppedAfter: -5 }] },
    ];
    for (const a of bad) {
      const text = JSON.stringify({ format: EXPORT_FORMAT, version: PROGRESS_VERSION, progress: { lessons: {}, quizzes: {}, labs: { x: { solved: false, at: T, attempt: a } } } });
      expect(parseExport(text).ok).toBe(false);
    }
  });

  it('saves, clears and scores attempts; a better earlier score stays', () => {
    const s = createProgressStore();
    saveLabAttempt(s, 'lab-a', attempt as never);
    expect(s.getState().labs['lab-a']).toMatchObject({ solved: false, attempt });
    recordLabSolved(s, 'lab-a', { score: 90, timeMs: 1000, hintsUsed: 0, seed: 42 });
    recordLabSolved(s, 'lab-a', { score: 60, timeMs: 500, hintsUsed: 2, seed: 7 });
    expect(s.getState().labs['lab-a']).toMatchObject({ solved: true, score: 90, seed: 42 });
    clearLabAttempt(s, 'lab-a');
    expect(s.getState().labs['lab-a'].attempt).toBeUndefined();
    expect(s.getState().labs['lab-a'].solved).toBe(true);
  });
});
