// Vite plugin: monaco-editor's CSS files become JavaScript that adds a <style> element when the
// editor's chunk runs. Left as CSS, Astro would link them from every page of the route that can
// load the editor, so every lab page would fetch monaco's styles; this way they arrive with the
// editor, on the page where a learner opens it, and nowhere else. Relative url()s (the codicon
// font) become assets Vite emits.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const PREFIX = '\0monaco-css:';

export default function monacoCss() {
  return {
    name: 'packet-path-monaco-css',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.endsWith('.css') || !importer || !/[\\/]monaco-editor[\\/]esm[\\/]/.test(importer)) return null;
      // the id must not end in .css, or Vite's own CSS handling would take it
      return `${PREFIX}${resolve(dirname(importer), source)}.js`;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, -'.js'.length);
      let css = readFileSync(file, 'utf8');
      const imports = [];
      css = css.replace(/url\((['"]?)(\.{1,2}\/[^)'"]+)\1\)/g, (_m, _q, rel) => {
        const name = `u${imports.length}`;
        imports.push(`import ${name} from ${JSON.stringify(`${resolve(dirname(file), rel)}?url`)};`);
        return `url("\${${name}}")`;
      });
      return `${imports.join('\n')}
const s = document.createElement('style');
s.dataset.monaco = '';
s.textContent = \`${css.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{(?!u\d+\})/g, '\\${')}\`;
document.head.append(s);
export default '';
`;
    },
  };
}
