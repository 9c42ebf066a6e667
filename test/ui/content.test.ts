/**
 * The course content as written: every lesson's frontmatter, the outline, the glossary and the
 * cross-references between them; and the promise that a bad frontmatter field stops the build
 * with a message that names the file and the field.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GlossarySchema, LessonSchema, PartSchema } from '../../src/ui/content/schema.ts';
import { buildCourse, neighbours, roman } from '../../src/ui/course/outline.ts';
import { lessonLabs } from '../../src/ui/content/mdx-labs.ts';

const root = join(import.meta.dirname, '..', '..');
const contentDir = join(root, 'content');

export function lessonFiles(dir = contentDir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...lessonFiles(p));
    else if (e.name.endsWith('.mdx')) out.push(p);
  }
  return out.sort();
}

function frontmatter(text: string): unknown {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) throw new Error('no frontmatter');
  return parseYaml(m[1]);
}

const parts = (parseYaml(readFileSync(join(contentDir, 'course.yaml'), 'utf8')) as unknown[]).map((p) => PartSchema.parse(p));
const glossary = (parseYaml(readFileSync(join(contentDir, 'glossary.yaml'), 'utf8')) as unknown[]).map((g) => GlossarySchema.parse(g));
const lessons = lessonFiles().map((f) => ({ id: f.replace(/^.*\//, '').replace(/\.mdx$/, ''), filePath: f.slice(root.length + 1), text: readFileSync(f, 'utf8') }));

describe('the course as written', () => {
  it('has valid frontmatter in every lesson, and lessons 1 to 4 of part I', () => {
    for (const l of lessons) {
      const r = LessonSchema.safeParse(frontmatter(l.text));
      expect(r.success, `${l.filePath}: ${r.success ? '' : r.error.message}`).toBe(true);
    }
    const course = buildCourse(parts, lessons.map((l) => ({ ...l, data: LessonSchema.parse(frontmatter(l.text)) })), glossary);
    expect(course.errors).toEqual([]);
    expect(course.lessons.slice(0, 4).map((l) => `${l.part}.${l.order}`)).toEqual(['1.1', '1.2', '1.3', '1.4']);
    const p1 = course.parts[0].items;
    // a written lesson replaces the planned entry of its order; the others stay "coming"
    const written = new Set(course.lessons.filter((l) => l.part === 1).map((l) => l.order));
    expect(p1.filter((i) => i.kind === 'coming').map((i) => i.order)).toEqual([5, 6, 7, 8, 9].filter((o) => !written.has(o)));
  });

  it('links only to glossary terms that exist', () => {
    const ids = new Set(glossary.map((g) => g.id));
    for (const l of lessons) {
      for (const m of l.text.matchAll(/<Term id="([^"]+)"/g)) expect(ids.has(m[1]), `${l.filePath}: <Term id="${m[1]}">`).toBe(true);
    }
  });

  it('gives every lesson objectives, a lab, a recorded trace and a quiz', () => {
    for (const l of lessons) {
      const labs = lessonLabs(l.text);
      expect(labs.errors, l.filePath).toEqual([]);
      expect(labs.labs.length, `${l.filePath}: labs`).toBeGreaterThan(0);
      expect(labs.traces.length, `${l.filePath}: traces`).toBeGreaterThan(0);
      expect(labs.runs.length, `${l.filePath}: Run blocks`).toBeGreaterThan(0);
      expect(l.text, `${l.filePath}: quiz`).toMatch(/<Quiz id="/);
    }
  });
});

describe('buildCourse', () => {
  const part = PartSchema.parse({ id: 'part-1', title: 'One', summary: 'The first part.', planned: [{ order: 2, title: 'Planned two' }, { order: 3, title: 'Planned three' }] });
  const term = GlossarySchema.parse({ id: 'bridge', term: 'bridge', definition: 'A switch inside the kernel, with ports.' });
  const lesson = (id: string, order: number, extra: object = {}) => ({ id, filePath: `content/${id}.mdx`, data: LessonSchema.parse({ title: `Lesson ${id}`, description: 'A description that is long enough to pass the schema.', part: 1, order, objectives: ['Do the first thing well.', 'Do the second thing.'], duration: 10, topics: ['bridge'], ...extra }) });

  it('replaces a planned lesson by the written one and orders the rest', () => {
    const c = buildCourse([part], [lesson('b', 3), lesson('a', 1)], [term]);
    expect(c.errors).toEqual([]);
    expect(c.parts[0].items.map((i) => (i.kind === 'lesson' ? i.slug : `coming ${i.order}`))).toEqual(['a', 'coming 2', 'b']);
    expect(neighbours(c, 'b')).toMatchObject({ prev: { slug: 'a' }, next: null });
    expect(c.lessons[0].href).toBe('/lessons/a/');
  });

  it('names the file and the field of every broken reference', () => {
    const c = buildCourse([part], [lesson('a', 1, { part: 2 }), lesson('b', 1, { prerequisites: ['nope'], topics: ['ghost'] }), lesson('c', 1)], [term]);
    expect(c.errors).toEqual([
      'content/a.mdx: part: there is no part 2 in content/course.yaml',
      'content/b.mdx: prerequisites.0: no lesson "nope"',
      'content/b.mdx: topics.0: no glossary term "ghost" in content/glossary.yaml',
      'content/c.mdx: order: lesson 1 of part 1 is also content/b.mdx',
    ]);
  });

  it('writes part numbers in roman numerals', () => {
    expect([1, 2, 4, 9, 14].map(roman)).toEqual(['I', 'II', 'IV', 'IX', 'XIV']);
  });
});

describe('a bad frontmatter field fails the build', () => {
  it('stops `astro sync` with the file and the field', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pp-content-'));
    const proj = join(tmp, 'site');
    mkdirSync(join(proj, 'content', 'part-1'), { recursive: true });
    for (const f of ['astro.config.mjs', 'package.json', 'tsconfig.json']) copyFileSync(join(root, f), join(proj, f));
    for (const d of ['src', 'scripts', 'node_modules']) symlinkSync(join(root, d), join(proj, d));
    copyFileSync(join(contentDir, 'course.yaml'), join(proj, 'content', 'course.yaml'));
    copyFileSync(join(contentDir, 'glossary.yaml'), join(proj, 'content', 'glossary.yaml'));
    writeFileSync(join(proj, 'content', 'part-1', 'broken.mdx'), `---\ntitle: A broken lesson\ndescription: This lesson has a frontmatter field of the wrong type, to test the error.\npart: 1\norder: first\nobjectives: [one objective here, another objective]\nduration: 10\ntopics: [bridge]\n---\n\nText.\n`);
    const r = spawnSync(join(root, 'node_modules', '.bin', 'astro'), ['sync'], {
      cwd: proj,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`, PP_CONTENT_DIR: './content', PP_CACHE_DIR: join(tmp, 'cache') },
      timeout: 60_000,
    });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).not.toBe(0);
    expect(out).toContain('broken.mdx');
    expect(out).toMatch(/order.*Expected type `"number"`/);
  }, 60_000);
});
