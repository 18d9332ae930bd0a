import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { checkConfigAgainstSchema } from './checkConfig';
import { CONFIG_SCHEMA_FILE, compileConfigSchema } from './compileConfigSchema';

const cluster = {
  name: 'east',
  url: 'https://127.1.0.1:6443',
  authProvider: 'serviceAccount',
  serviceAccountToken: 't',
};
const kubernetes = (clusters: object[]) => ({
  clusterLocatorMethods: [{ type: 'config', clusters }],
});

async function refusal(data: object): Promise<string> {
  const outcome = await checkConfigAgainstSchema(new ConfigReader(data)).then(
    () => 'accepted',
    (e: Error) => e.message,
  );
  return outcome;
}

describe('checkConfigAgainstSchema', () => {
  it("accepts the keys config.d.ts declares, set to what it allows, and other plugins' keys", async () => {
    expect(
      await refusal({
        app: { baseUrl: 'http://localhost:3000' },
        catalog: { anything: ['goes'] },
        namespaceTransfer: {
          defaults: { mode: 'copy', endpoint: 'clusterip', verify: 'sample' },
          rateLimit: { burst: 10 },
          worker: { concurrency: { global: 2 } },
        },
        kubernetes: kubernetes([cluster]),
      }),
    ).toBe('accepted');
    expect(await refusal({})).toBe('accepted');
  });

  it('refuses an unknown option value, naming the key, what it may be and what was given', async () => {
    expect(
      await refusal({ namespaceTransfer: { defaults: { mode: 'fast' } } }),
    ).toBe(
      'Namespace Transfer cannot start: a config value is not what config.d.ts of @namespace-transfer/plugin-namespace-transfer-backend declares; change it in app-config:\n' +
        '  - namespaceTransfer.defaults.mode: must be one of auto, copy, rebind (got "fast")',
    );
  });

  it('lists every refused value at once, in arrays by index', async () => {
    const message = await refusal({
      namespaceTransfer: {
        rateLimit: { burst: 'many' },
        defaults: { verify: 'always' },
      },
      kubernetes: kubernetes([
        cluster,
        { ...cluster, name: 'west', skipTLSVerify: 'yes' },
      ]),
    });
    expect(message).toContain('3 config values are not what config.d.ts');
    expect(message).toContain(
      '  - namespaceTransfer.rateLimit.burst: must be number (got "many")',
    );
    expect(message).toContain(
      '  - namespaceTransfer.defaults.verify: must be one of none, sample, full (got "always")',
    );
    expect(message).toContain(
      '  - kubernetes.clusterLocatorMethods[0].clusters[1].skipTLSVerify: must be boolean (got "yes")',
    );
  });

  it('refuses a cluster entry without a required key', async () => {
    const { name: _name, ...nameless } = cluster;
    expect(await refusal({ kubernetes: kubernetes([nameless]) })).toContain(
      "  - kubernetes.clusterLocatorMethods[0].clusters[0]: must have required property 'name'",
    );
  });

  it('holds the schema config.d.ts compiles to (regenerate: npx tsx plugins/namespace-transfer-backend/src/startup/compileConfigSchema.ts)', async () => {
    const committed = JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8'));
    expect(committed).toEqual(await compileConfigSchema());
  }, 120_000);
});
