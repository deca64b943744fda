// Type-checks scenario files against @types/k6 with the TypeScript compiler API (k6 itself only
// strips types, so this is the only place a type error is caught before a run).

import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../util/roots.js';

export function typeCheck(cwd: string, files: string[]): string[] {
  if (files.length === 0) return [];
  const configFile = join(projectRoot(cwd), 'scenarios', 'tsconfig.json');
  let options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    allowJs: true,
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: ['k6'],
  };
  if (existsSync(configFile)) {
    const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
    if (!read.error) options = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile)).options;
  }
  const program = ts.createProgram(files.filter((f) => /\.(ts|js|mjs)$/.test(f)), { ...options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(cwd, d.file.fileName)}:${line + 1}:${character + 1}: ${text}`;
  });
}
