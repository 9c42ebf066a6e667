// The YAML language worker of monaco-yaml (validation, completion, hover), in its own worker.
import 'monaco-yaml/yaml.worker';
