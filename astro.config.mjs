import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import csp from './scripts/csp.mjs';
import monacoCss from './scripts/monaco-css.mjs';

// The scenario loader (src/sim/scenario/load.ts) imports the YAML parser and the schema library
// for `loadScenarioText`; the simulator's worker only calls `buildScenario` on scenarios checked
// at build time. Marking those modules free of side effects lets the bundler leave them out.
const sideEffectFree = (id) => /[\\/]node_modules[\\/](yaml|zod)[\\/]/.test(id) || /[\\/]src[\\/]sim[\\/]scenario[\\/]schema\.ts$/.test(id);
const treeshake = { moduleSideEffects: (id) => !sideEffectFree(id) };

export default defineConfig({
  site: 'https://packetpath.example',
  // the content tests build a broken copy of the course with their own cache
  ...(process.env.PP_CACHE_DIR ? { cacheDir: process.env.PP_CACHE_DIR } : {}),
  trailingSlash: 'always',
  integrations: [mdx(), csp()],
  devToolbar: { enabled: false },
  // code blocks stay plain <pre><code>: outputs must keep every space, and carry no inline colours
  markdown: { syntaxHighlight: false },
  build: { inlineStylesheets: 'never' },
  vite: {
    plugins: [monacoCss()],
    build: { rolldownOptions: { treeshake } },
    worker: { format: 'es', rolldownOptions: { treeshake } },
  },
});
