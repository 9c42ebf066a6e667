/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

export default getViteConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // a ceiling against hangs, not a speed target: tests that start node processes (netsim, the
    // content build) can take seconds on a busy machine (speed is measured by `npm run bench`)
    testTimeout: 30_000,
  },
});
