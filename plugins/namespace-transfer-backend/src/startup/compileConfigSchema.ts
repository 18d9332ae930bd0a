/**
 * Compiles the plugin's config.d.ts into the JSON schema that configSchema.json holds. Compiling TypeScript
 * takes seconds, too long for every start-up, so it is done here, ahead of time; a test fails when the
 * committed schema no longer matches config.d.ts. Regenerate with:
 *
 *   npx tsx plugins/namespace-transfer-backend/src/startup/compileConfigSchema.ts
 */
import { writeFile } from 'node:fs/promises';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { loadConfigSchema } from '@backstage/config-loader';

const PACKAGE = '@namespace-transfer/plugin-namespace-transfer-backend';
/** in the sources: a development tool, it is not part of the built package */
export const CONFIG_SCHEMA_FILE = resolvePackagePath(
  PACKAGE,
  'src/startup/configSchema.json',
);

/** The JSON schema of config.d.ts, as Backstage's config loader compiles it. */
export async function compileConfigSchema(): Promise<object> {
  const schema = await loadConfigSchema({
    dependencies: [],
    packagePaths: [resolvePackagePath(PACKAGE, 'package.json')],
    // only this package's config.d.ts: its dependencies validate their own keys
    excludePackageDependencies: true,
  });
  const [own] = schema.serialize().schemas as { value: object }[];
  return own.value;
}

if (require.main === module) {
  compileConfigSchema()
    .then(value =>
      writeFile(CONFIG_SCHEMA_FILE, `${JSON.stringify(value, null, 2)}\n`),
    )
    .catch(error => {
      process.stderr.write(`${error}\n`);
      process.exitCode = 1;
    });
}
