/**
 * Quiz questions as lessons write them (props of <Quiz>), checked while the page is built:
 * multiple choice with exactly one right option and an explanation for every option, or a short
 * answer with the accepted answers and an explanation.
 */
import { z } from 'astro/zod';

export const ChoiceSchema = z
  .object({
    kind: z.literal('choice').default('choice'),
    prompt: z.string().min(10),
    options: z
      .array(z.object({ text: z.string().min(1), correct: z.boolean().default(false), why: z.string().min(10) }).strict())
      .min(2)
      .max(6)
      .refine((o) => o.filter((x) => x.correct).length === 1, 'exactly one option must be correct'),
  })
  .strict();

export const ShortSchema = z
  .object({
    kind: z.literal('short'),
    prompt: z.string().min(10),
    /** accepted answers; compared without case, surrounding spaces or repeated spaces */
    answers: z.array(z.string().min(1)).min(1),
    /** what the answer is and why */
    why: z.string().min(10),
    /** explanations for likely wrong answers */
    wrong: z.array(z.object({ answer: z.string().min(1), why: z.string().min(10) }).strict()).default([]),
  })
  .strict();

export const QuestionSchema = z.union([ShortSchema, ChoiceSchema]);
export const QuizSchema = z.array(QuestionSchema).min(1).max(10);
export type Question = z.infer<typeof QuestionSchema>;

export { normalizeAnswer, inlineHtml } from './text.ts';
