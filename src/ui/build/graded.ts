/**
 * Build-time helpers for the graded labs' pages: the labs from their content collection in
 * course order, the texts as HTML (with `{{name}}` placeholders kept, for the page to fill with
 * the learner's variant, and filled with seed 1 for a reader without JavaScript), and the
 * drawing of the broken world for the first seed.
 */
import { getCollection } from 'astro:content';
import type { Lab } from '../../labs/schema.ts';
import { startLab, variantFor, fill } from '../../labs/runner.ts';
import { extractTopology } from '../topology/extract.ts';
import type { Topology } from '../topology/model.ts';
import { labTextHtml } from '../content/labtext.ts';

export interface GradedLabEntry {
  readonly lab: Lab;
  readonly scenarioText?: string;
}

let cached: Promise<GradedLabEntry[]> | null = null;

/** Every graded lab, in course order. */
export function loadGradedLabs(): Promise<GradedLabEntry[]> {
  if (!cached) {
    cached = getCollection('labs').then((es) => es.map((e) => ({ lab: e.data.lab as Lab, scenarioText: e.data.scenarioText })).sort((a, b) => a.lab.order - b.lab.order));
  }
  return cached;
}

export function labHref(id: string): string {
  return `/labs/${id}/`;
}

/** The texts of a lab page as HTML templates (placeholders kept) and filled for seed 1. */
export function labTexts(lab: Lab): { story: string; explanation: string; vars1: Record<string, string> } {
  const vars1 = { ...variantFor(lab, 1).vars };
  return { story: labTextHtml(lab.story), explanation: labTextHtml(lab.explanation), vars1 };
}

/** What the page shows before the simulator runs: the broken world of seed 1. */
export async function labStartTopology(e: GradedLabEntry): Promise<Topology> {
  const inst = await startLab(e.lab, 1, { scenarioText: e.scenarioText });
  return extractTopology(inst.world);
}

/** Placeholders filled with seed 1, for text the page shows before it knows the variant. */
export function filledForSeed1(lab: Lab, text: string): string {
  return fill(text, variantFor(lab, 1).vars);
}

/** A short description of a lab's world for the terminal's label. */
export function labWorldLabel(lab: Lab): string {
  return lab.world.scenario ? `lab ${lab.id}, ${lab.world.scenario.replace(/\.ya?ml$/, '')} hosts` : `lab ${lab.id}, world ${lab.world.name}`;
}
