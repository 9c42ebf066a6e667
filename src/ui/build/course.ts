/**
 * The course as the pages need it, read from the content collections once per build. Broken
 * cross-references stop the build with every problem listed, each naming its file and field.
 */
import { getCollection } from 'astro:content';
import { buildCourse, type Course } from '../course/outline.ts';
import type { GlossaryData } from '../content/schema.ts';

let cached: Promise<{ course: Course; glossary: GlossaryData[] }> | null = null;

export function loadCourse(): Promise<{ course: Course; glossary: GlossaryData[] }> {
  if (!cached) {
    cached = (async () => {
      const [parts, lessons, glossary] = await Promise.all([getCollection('parts'), getCollection('lessons'), getCollection('glossary')]);
      const g = glossary.map((e) => e.data).sort((a, b) => a.term.localeCompare(b.term));
      const course = buildCourse(
        parts.map((p) => p.data),
        lessons.map((l) => ({ id: l.id, filePath: l.filePath, data: l.data })),
        g,
      );
      if (course.errors.length) throw new Error(`The course content has errors:\n  ${course.errors.join('\n  ')}`);
      return { course, glossary: g };
    })();
  }
  return cached;
}
