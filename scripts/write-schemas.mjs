// Regenerates schemas/profile.schema.json from src/config/schema.ts:
//   node scripts/write-schemas.mjs
// test/config.test.ts fails when the two differ. esbuild transpiles the module in memory, so
// this works without a build of the whole project.
import { writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const out = await build({
  entryPoints: [new URL('src/config/schema.ts', root).pathname],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
});
const source = out.outputFiles[0].text;
const { profileSchemaJson } = await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
const target = new URL('schemas/profile.schema.json', root);
await writeFile(target, profileSchemaJson());
process.stdout.write(`wrote ${target.pathname}\n`);
