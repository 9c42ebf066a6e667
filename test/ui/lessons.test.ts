/**
 * Every command a lesson tells the learner to type works in the simulator and prints what the
 * lesson says: each lesson's labs are replayed, <Run> by <Run>, exactly as the browser runs them.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayLesson } from './replay.ts';
import { lessonFiles } from './content.test.ts';

const root = join(import.meta.dirname, '..', '..');

describe.each(lessonFiles().map((f) => [f.slice(root.length + 1), f]))('%s', (name, file) => {
  it('runs every command as the lesson shows it', async () => {
    const r = await replayLesson(readFileSync(file, 'utf8'), name);
    expect(r.errors).toEqual([]);
    expect(r.steps.length).toBeGreaterThan(3);
    expect(r.steps.filter((s) => s.expected !== undefined).length).toBeGreaterThan(3);
  });
});
