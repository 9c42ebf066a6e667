/**
 * Every lab names the lesson(s) it follows, and each name is a lesson that exists: the lab page
 * links them ("Follows: ...") and the course map places the lab after them.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabs } from '../src/cli/labs.ts';

const CONTENT = join(import.meta.dirname, '..', 'content');

function lessonSlugs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? lessonSlugs(join(dir, e.name)) : e.name.endsWith('.mdx') ? [basename(e.name, '.mdx')] : [],
  );
}

describe('labs and the lessons they follow', () => {
  const slugs = new Set(lessonSlugs(CONTENT));
  it.each(loadLabs().map((l) => [l.lab.id, l.lab.lessons] as const))('%s follows lessons that exist', (_id, lessons) => {
    expect(lessons.length).toBeGreaterThan(0);
    for (const slug of lessons) expect(slugs, `no lesson ${slug} in content/`).toContain(slug);
  });
});
