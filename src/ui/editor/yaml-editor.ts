/**
 * The lab page's YAML editor: monaco-editor 0.52 with monaco-yaml, loaded only when the learner
 * opens a file (this module is imported dynamically, so no other page ever fetches monaco).
 * Compose files are checked against the schema of what the simulator's Compose reads.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution';
import 'monaco-editor/esm/vs/editor/editor.all';
import { configureMonacoYaml } from 'monaco-yaml';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import YamlWorker from './yaml.worker.ts?worker';
import { composeSchema } from './compose-schema.ts';

(self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'yaml' ? new YamlWorker() : new EditorWorker()),
};

let configured = false;

function theme(): string {
  const t = document.documentElement.dataset.theme;
  const dark = t === 'dark' || (t !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  return dark ? 'vs-dark' : 'vs';
}

export interface MountedEditor {
  getText(): string;
  /** show another text (another file: its path decides the schema) */
  setText(text: string, path: string): void;
}

export function mountYamlEditor(el: HTMLElement, text: string, path: string): MountedEditor {
  if (!configured) {
    configureMonacoYaml(monaco, {
      enableSchemaRequest: false,
      validate: true,
      completion: true,
      hover: true,
      schemas: [{ uri: 'https://packetpath.example/schemas/compose.json', fileMatch: ['**/compose.yaml', '**/compose.yml', '**/docker-compose.yaml', '**/docker-compose.yml'], schema: composeSchema as never }],
    });
    configured = true;
  }
  let model = monaco.editor.createModel(text, 'yaml', monaco.Uri.file(path));
  const editor = monaco.editor.create(el, {
    model,
    theme: theme(),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    tabSize: 2,
    insertSpaces: true,
    scrollBeyondLastLine: false,
    accessibilitySupport: 'auto',
    ariaLabel: `Editor for ${path}. Tab indents; press Ctrl+M to make Tab move the focus out of the editor instead.`,
  });
  return {
    getText: () => model.getValue(),
    setText: (t, p) => {
      const uri = monaco.Uri.file(p);
      const old = model;
      model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(t, 'yaml', uri);
      model.setValue(t);
      editor.setModel(model);
      if (old !== model) old.dispose();
    },
  };
}
