/**
 * The course map: parts from content/course.yaml, the lessons that exist (MDX files) and the
 * planned ones, merged into reading order. Pure: the pages call it with collection entries,
 * the unit tests with plain objects. Cross-references (a lesson's part, prerequisites and topics,
 * the glossary's "see" links) are checked here, and each problem names the file and the field.
 */
import type { GlossaryData, LessonData, PartData } from '../content/schema.ts';

export interface LessonInput {
  /** the slug (file name without .mdx) */
  readonly id: string;
  /** path of the MDX file, for error messages */
  readonly filePath?: string;
  readonly data: LessonData;
}

export interface CourseLesson {
  readonly kind: 'lesson';
  readonly slug: string;
  readonly href: string;
  readonly title: string;
  readonly description: string;
  readonly part: number;
  readonly order: number;
  readonly duration: number;
  readonly objectives: readonly string[];
  readonly prerequisites: readonly string[];
  readonly topics: readonly string[];
}

export interface ComingLesson {
  readonly kind: 'coming';
  readonly title: string;
  readonly summary?: string;
  readonly part: number;
  readonly order: number;
}

export interface CoursePart {
  readonly number: number;
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly items: readonly (CourseLesson | ComingLesson)[];
  readonly labs: PartData['labs'];
}

export interface Course {
  readonly parts: readonly CoursePart[];
  /** written lessons in reading order */
  readonly lessons: readonly CourseLesson[];
  readonly errors: readonly string[];
}

export function lessonHref(slug: string): string {
  return `/lessons/${slug}/`;
}

/** Merge the outline and the lessons; `errors` lists every broken reference. */
export function buildCourse(parts: readonly PartData[], lessons: readonly LessonInput[], glossary: readonly GlossaryData[] = [], outlineFile = 'content/course.yaml', glossaryFile = 'content/glossary.yaml'): Course {
  const errors: string[] = [];
  const termIds = new Set(glossary.map((g) => g.id));
  const slugs = new Set(lessons.map((l) => l.id));
  const byNumber = new Map<number, PartData>();
  for (const [i, p] of parts.entries()) {
    const n = Number(p.id.slice(5));
    if (byNumber.has(n)) errors.push(`${outlineFile}: ${i}.id: part ${n} is listed twice`);
    byNumber.set(n, p);
    const seen = new Set<number>();
    for (const [j, pl] of p.planned.entries()) {
      if (seen.has(pl.order)) errors.push(`${outlineFile}: ${i}.planned.${j}.order: order ${pl.order} is planned twice in ${p.id}`);
      seen.add(pl.order);
    }
  }
  for (const g of glossary) {
    for (const [k, s] of g.see.entries()) if (!termIds.has(s)) errors.push(`${glossaryFile}: ${g.id}.see.${k}: no glossary term "${s}"`);
  }

  const written: CourseLesson[] = [];
  const place = new Map<string, string>();
  for (const l of lessons) {
    const file = l.filePath ?? `${l.id}.mdx`;
    const d = l.data;
    if (!byNumber.has(d.part)) errors.push(`${file}: part: there is no part ${d.part} in ${outlineFile}`);
    const key = `${d.part}:${d.order}`;
    if (place.has(key)) errors.push(`${file}: order: lesson ${d.order} of part ${d.part} is also ${place.get(key)}`);
    place.set(key, file);
    for (const [k, p] of d.prerequisites.entries()) {
      if (!slugs.has(p)) errors.push(`${file}: prerequisites.${k}: no lesson "${p}"`);
      else if (p === l.id) errors.push(`${file}: prerequisites.${k}: a lesson cannot require itself`);
    }
    for (const [k, t] of d.topics.entries()) if (!termIds.has(t)) errors.push(`${file}: topics.${k}: no glossary term "${t}" in ${glossaryFile}`);
    written.push({
      kind: 'lesson',
      slug: l.id,
      href: lessonHref(l.id),
      title: d.title,
      description: d.description,
      part: d.part,
      order: d.order,
      duration: d.duration,
      objectives: d.objectives,
      prerequisites: d.prerequisites,
      topics: d.topics,
    });
  }
  written.sort((a, b) => a.part - b.part || a.order - b.order);

  const outParts: CoursePart[] = [...byNumber.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([n, p]) => {
      const mine = written.filter((w) => w.part === n);
      const taken = new Set(mine.map((w) => w.order));
      const coming: ComingLesson[] = p.planned.filter((pl) => !taken.has(pl.order)).map((pl) => ({ kind: 'coming', title: pl.title, summary: pl.summary, part: n, order: pl.order }));
      const items = [...mine, ...coming].sort((a, b) => a.order - b.order);
      return { number: n, id: p.id, title: p.title, summary: p.summary, items, labs: p.labs };
    });
  return { parts: outParts, lessons: written, errors };
}

/** The lessons before and after one, in reading order. */
export function neighbours(course: Course, slug: string): { prev: CourseLesson | null; next: CourseLesson | null } {
  const i = course.lessons.findIndex((l) => l.slug === slug);
  if (i < 0) return { prev: null, next: null };
  return { prev: course.lessons[i - 1] ?? null, next: course.lessons[i + 1] ?? null };
}

/** Roman numerals for part numbers (I to XX). */
export function roman(n: number): string {
  const table: [number, string][] = [[10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, s] of table) while (n >= v) { out += s; n -= v; }
  return out;
}
