// `--set key.path=value` overrides (as in Helm and Taurus), applied to the parsed profile before
// validation so a bad override gets the same error a bad file would. Pure: returns a new tree.
import { parse } from 'yaml';
import { UsageError } from '../util/errors.js';
import { toPointer } from './env.js';

export interface ParsedSet {
  path: (string | number)[];
  /** JSON pointer of the value written, to credit validation errors to --set. */
  pointer: string;
  value: unknown;
}

const USAGE_HINT = 'e.g. --set sla.p95=800 or --set workload.requests.0.expect=[200,201]';

export function parseSet(raw: string): ParsedSet {
  const eq = raw.indexOf('=');
  const key = eq < 0 ? '' : raw.slice(0, eq).trim();
  const segments = key.split('.');
  if (eq < 0 || key === '' || segments.some((s) => s === '')) {
    throw new UsageError(`--set "${raw}": expected key.path=value`, USAGE_HINT);
  }
  const path = segments.map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
  return { path, pointer: toPointer(path), value: parseValue(raw, raw.slice(eq + 1)) };
}

// A YAML scalar or flow value: 800 is a number, true a boolean, [200,201] an array, "abc" a
// string. Anything YAML would read as a block structure (`a: b`) or that does not parse is
// taken as the plain string the user typed, which is what a shell user means.
function parseValue(raw: string, text: string): unknown {
  if (text.trim() === '') return '';
  const flow = /^\s*[[{]/.test(text);
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    if (!flow) return text;
    throw new UsageError(`--set "${raw}": ${(e as Error).message.split('\n')[0]}`, USAGE_HINT);
  }
  if (value !== null && typeof value === 'object' && !flow) return text;
  return value;
}

export function applySets(data: unknown, sets: readonly string[], file: string): unknown {
  let root = data;
  for (const raw of sets) {
    const { path, value } = parseSet(raw);
    root = setAt(root, path, value, raw, file);
  }
  return root;
}

function setAt(node: unknown, path: (string | number)[], value: unknown, raw: string, file: string): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(node)) {
    // Only replace or append: a gap would leave holes that YAML and JSON cannot represent.
    if (typeof head !== 'number' || head > node.length) {
      const what = typeof head === 'number' ? `index ${head} is past the end` : `"${head}" is not an index`;
      throw new UsageError(
        `--set "${raw}": ${what} (${file} has ${node.length} item${node.length === 1 ? '' : 's'} there)`,
        `use an index from 0 to ${node.length}`,
      );
    }
    const copy = [...node];
    copy[head] = setAt(node[head], rest, value, raw, file);
    return copy;
  }
  if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    return { ...obj, [head]: setAt(obj[String(head)], rest, value, raw, file) };
  }
  // Missing (or a scalar) on the way: start a fresh container, an array when indexed by number.
  // Overwriting a scalar is fine: validation then reports the type the user must write.
  return setAt(typeof head === 'number' ? [] : {}, path, value, raw, file);
}
