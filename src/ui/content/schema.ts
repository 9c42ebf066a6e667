/**
 * Schemas for the course content: lesson frontmatter, the course outline (parts and planned
 * lessons) and the glossary. `src/content.config.ts` hands them to Astro's content collections,
 * so a bad field fails the build with a message naming the file and the field; the unit tests in
 * test/ui use them directly.
 */
import { z } from 'astro/zod';

/** A lowercase slug: letters, digits and dashes. */
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lowercase slug of letters, digits and dashes, like "network-namespaces"');

export const LessonSchema = z
  .object({
    /** The lesson's title, shown as its heading, in the sidebar and in the browser tab. */
    title: z.string().min(3).max(90),
    /** One or two sentences for the course map, search results and the page's meta description. */
    description: z.string().min(40).max(220),
    /** The number of the part the lesson belongs to (a part listed in content/course.yaml). */
    part: z.number().int().min(1).max(20),
    /** The lesson's position in its part, from 1. */
    order: z.number().int().min(1).max(99),
    /** What the learner can do after the lesson: two to six sentences, each a skill. */
    objectives: z.array(z.string().min(10).max(200)).min(2).max(6),
    /** Slugs of lessons to read first (file names without .mdx). */
    prerequisites: z.array(slug).default([]),
    /** Minutes a learner needs, hands-on parts included. */
    duration: z.number().int().min(5).max(180),
    /** Glossary ids (content/glossary.yaml) of the terms the lesson teaches. */
    topics: z.array(slug).min(1).max(12),
  })
  .strict();

export type LessonData = z.infer<typeof LessonSchema>;

export const PlannedLessonSchema = z
  .object({
    /** Where the lesson will sit in its part. */
    order: z.number().int().min(1).max(99),
    title: z.string().min(3).max(120),
    /** What it will teach, for the course map. */
    summary: z.string().min(10).max(300).optional(),
  })
  .strict();

export const PlannedLabSchema = z
  .object({
    title: z.string().min(3).max(120),
    summary: z.string().min(10).max(300).optional(),
  })
  .strict();

export const PartSchema = z
  .object({
    /** `part-N`, where N is the number lessons give in their `part` field. */
    id: z.string().regex(/^part-[1-9][0-9]?$/, 'an id like "part-1"'),
    title: z.string().min(3).max(90),
    summary: z.string().min(10).max(400),
    /**
     * Lessons not written yet, shown as "coming" on the course map. A written lesson with the
     * same order takes the planned entry's place.
     */
    planned: z.array(PlannedLessonSchema).default([]),
    /** Labs (graded exercises) of the part, shown as "coming" until they exist. */
    labs: z.array(PlannedLabSchema).default([]),
  })
  .strict();

export type PartData = z.infer<typeof PartSchema>;

export const GlossarySchema = z
  .object({
    /** The anchor on /glossary/ and what `<Term id>` and a lesson's `topics` refer to. */
    id: slug,
    /** The term as shown, e.g. "veth pair". */
    term: z.string().min(1).max(60),
    /** One paragraph, plain text; `code` in backticks is allowed. */
    definition: z.string().min(20).max(900),
    /** Ids of related terms. */
    see: z.array(slug).default([]),
  })
  .strict();

export type GlossaryData = z.infer<typeof GlossarySchema>;
