// Regenerates the published JSON Schemas from their TypeScript sources:
//   node scripts/write-schemas.mjs
// schemas/profile.schema.json ← src/config/schema.ts, schemas/result.schema.json ← src/results/schema.ts.
// Tests fail when a file and its source differ. esbuild transpiles each module in memory, so this
// works without a build of the whole project.
import { writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);

async function load(entry) {
  const out = await build({ entryPoints: [new URL(entry, root).pathname], bundle: true, write: false, format: 'esm', platform: 'node' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

const { profileSchemaJson } = await load('src/config/schema.ts');
const { resultSchemaJson } = await load('src/results/schema.ts');
for (const [file, text] of [
  ['schemas/profile.schema.json', profileSchemaJson()],
  ['schemas/result.schema.json', resultSchemaJson()],
]) {
  await writeFile(new URL(file, root), text);
  process.stdout.write(`wrote ${file}\n`);
}
