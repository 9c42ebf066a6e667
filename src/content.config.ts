/**
 * The course's content collections. Lessons are MDX files anywhere under content/ (the file name,
 * without .mdx, is the lesson's slug and URL); the outline of parts and the glossary are YAML.
 * Astro validates every entry against the schemas in src/ui/content/schema.ts and stops the build
 * with the file and the field at fault.
 *
 * PP_CONTENT_DIR points the collections at another folder; the content tests use it to check
 * that a bad lesson really fails the build.
 */
import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { GlossarySchema, LessonSchema, PartSchema } from './ui/content/schema.ts';
import { LabSchema } from './labs/schema.ts';
import { loadLabs } from './cli/labs.ts';

const base = process.env.PP_CONTENT_DIR ?? './content';

const lessons = defineCollection({
  loader: glob({
    pattern: '**/*.mdx',
    base,
    generateId: ({ entry }) => entry.replace(/^.*\//, '').replace(/\.mdx$/, ''),
  }),
  schema: LessonSchema,
});

const parts = defineCollection({
  loader: file(`${base}/course.yaml`),
  schema: PartSchema,
});

const glossary = defineCollection({
  loader: file(`${base}/glossary.yaml`),
  schema: GlossarySchema,
});

// The graded labs: labs/<id>/lab.yaml with its scenario file. loadLabs validates every lab and
// throws with the file, the field and what was expected, which stops the build.
const labs = defineCollection({
  loader: {
    name: 'packet-path-labs',
    load: async ({ store, parseData }) => {
      store.clear();
      for (const l of loadLabs()) {
        const data = await parseData({ id: l.lab.id, data: { lab: l.lab, scenarioText: l.scenarioText } });
        store.set({ id: l.lab.id, data });
      }
    },
  },
  schema: z.object({ lab: LabSchema, scenarioText: z.string().optional() }),
});

export const collections = { lessons, parts, glossary, labs };
