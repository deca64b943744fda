#!/usr/bin/env node
// Fails when src/ has an import cycle. Every edge counts: static imports and re-exports, type-only
// ones included (`import type`, `export type … from`), and dynamic `import('…')` with a literal
// path — a cycle through any of them still ties the modules together. Also fails when a source
// file passes the size limit, or when the bottom layer (src/util/) imports anything of the project
// outside itself. Uses the TypeScript parser the project already builds with.
//   node scripts/check-cycles.mjs [root=src] [--max-lines=300] [--bottom=util]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const root = resolve(args.find((a) => !a.startsWith('--')) ?? 'src');
const maxLines = Number(args.find((a) => a.startsWith('--max-lines='))?.split('=')[1] ?? 300);
const bottom = join(root, args.find((a) => a.startsWith('--bottom='))?.split('=')[1] ?? 'util');

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Module specifiers of one file: imports, re-exports, `import('x')`, `typeof import('x')`. */
function specifiers(file, text) {
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) found.push(e.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  return found;
}

const files = sources(root);
const known = new Set(files);
const edges = new Map();
const tooLong = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > maxLines) tooLong.push(`${relative(process.cwd(), file)}: ${lines} lines`);
  const targets = new Set();
  for (const spec of specifiers(file, text)) {
    if (!spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec);
    const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}.ts`, join(base, 'index.ts')];
    const hit = candidates.find((c) => known.has(c));
    if (hit) targets.add(hit);
  }
  edges.set(file, [...targets]);
}

// Tarjan's strongly connected components: every component of more than one module (or a module
// importing itself) is a cycle.
let index = 0;
const stack = [];
const meta = new Map();
const components = [];
function strongConnect(v) {
  meta.set(v, { index, low: index, onStack: true });
  index += 1;
  stack.push(v);
  for (const w of edges.get(v)) {
    if (!meta.has(w)) {
      strongConnect(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).onStack) {
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
    }
  }
  if (meta.get(v).low === meta.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || edges.get(v).includes(v)) components.push(component);
  }
}
for (const file of files) if (!meta.has(file)) strongConnect(file);

/** One concrete loop inside a component, for the message: a shortest path back to the start. */
function loopThrough(component) {
  const inside = new Set(component);
  const start = component.slice().sort()[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of edges.get(v)) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (previous.get(path[0]) !== null) path.unshift(previous.get(path[0]));
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const name = (f) => relative(root, f).replace(/\.tsx?$/, '');
const inBottom = (f) => f.startsWith(`${bottom}/`);
const upward = files.filter(inBottom).flatMap((f) => edges.get(f).filter((t) => !inBottom(t)).map((t) => `${name(f)} → ${name(t)}`));
for (const edge of upward) console.error(`the bottom layer reaches up: ${edge} (${relative(root, bottom)}/ imports nothing of the project outside itself)`);
for (const component of components) {
  console.error(`import cycle (${component.length} modules): ${loopThrough(component).map(name).join(' → ')}`);
}
for (const line of tooLong) console.error(`over ${maxLines} lines: ${line} (split it by job)`);
if (components.length > 0 || tooLong.length > 0 || upward.length > 0) {
  console.error(`check-cycles: ${components.length} import cycle(s), ${tooLong.length} file(s) over ${maxLines} lines, ${upward.length} upward import(s) in ${relative(process.cwd(), root) || '.'}`);
  process.exit(1);
}
console.log(`check-cycles: ${files.length} modules in ${relative(process.cwd(), root) || '.'}, no import cycle, none over ${maxLines} lines, ${relative(root, bottom)}/ imports only itself`);
