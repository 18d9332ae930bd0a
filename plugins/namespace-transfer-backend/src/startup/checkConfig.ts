import type { Config, JsonObject, JsonValue } from '@backstage/config';
import { loadConfigSchema } from '@backstage/config-loader';
import configSchema from './configSchema.json';

/** The top-level keys config.d.ts declares: the rest of app-config is other plugins' to check. */
const OWN_KEYS = ['namespaceTransfer', 'kubernetes'];

/**
 * Checks the plugin's keys of app-config against its config schema (config.d.ts, compiled ahead of time into
 * configSchema.json) and throws one error naming every key whose value the schema refuses, what it must be
 * and what was given: Backstage loads config without checking it, so `namespaceTransfer.defaults.mode: fast`
 * would otherwise surface as a failed request much later.
 */
export async function checkConfigAgainstSchema(config: Config): Promise<void> {
  const schema = await loadConfigSchema({
    serialized: {
      backstageConfigSchemaVersion: 1,
      schemas: [{ path: 'config.d.ts', value: configSchema as JsonObject }],
    },
  });
  const data: JsonObject = {};
  for (const key of OWN_KEYS) {
    const value = config.getOptional(key);
    if (value !== undefined) data[key] = value;
  }
  try {
    schema.process([{ data, context: 'app-config' }]);
  } catch (error) {
    const messages: string[] = (error as { messages?: string[] }).messages ?? [
      String((error as Error).message),
    ];
    const problems = messages.map(m => describeProblem(m, data));
    throw new Error(
      `Namespace Transfer cannot start: ${problems.length === 1 ? 'a config value is' : `${problems.length} config values are`} not what config.d.ts of @namespace-transfer/plugin-namespace-transfer-backend declares; change ${problems.length === 1 ? 'it' : 'them'} in app-config:\n${problems.map(p => `  - ${p}`).join('\n')}`,
    );
  }
}

/**
 * One of the config loader's messages ("Config must be equal to one of the allowed values
 * { allowedValues=a,b } at /x/y/0/z") as "x.y[0].z: must be one of a, b (got "v")".
 */
export function describeProblem(message: string, data: JsonObject): string {
  const m = /^Config (.+?)(?: \{ (.*) \})? at (\/\S*)$/.exec(message);
  if (!m) return message;
  const [, rule, params = '', path] = m;
  const segments = path.split('/').slice(1);
  const key = segments
    .map(s => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .slice(1);
  const allowed = /^allowedValues=(.*)$/.exec(params)?.[1];
  const must = allowed
    ? `must be one of ${allowed.split(',').join(', ')}`
    : rule;
  const value = valueAt(data, segments);
  return `${key}: ${must}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
}

function valueAt(data: JsonValue, segments: string[]): JsonValue | undefined {
  let at: JsonValue | undefined = data;
  for (const s of segments) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? at[Number(s)] : at[s];
  }
  return at;
}
