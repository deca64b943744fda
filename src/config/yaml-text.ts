// Profile text → data: YAML (JSON is YAML too, and gets the same line/column errors). Pure. Loaded
// only when profile-cache.ts has not seen the text before: the YAML parser costs start-up time.
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../util/errors.js';

export function parseProfileText(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const message = error.message.split('\n')[0] ?? error.message;
    throw new ConfigError(file, `line ${line}, column ${col}`, message, 'fix the YAML syntax');
  }
  if (doc.contents === null) {
    throw new ConfigError(file, '', 'the file is empty', 'a profile needs at least a workload (see profiles/local.yaml)');
  }
  try {
    return doc.toJS();
  } catch (e) {
    throw new ConfigError(file, '', (e as Error).message, 'fix the YAML (aliases and anchors)');
  }
}

