import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { namespaceTransferPlugin } from './plugin';
import {
  clientOf,
  expectedClient,
  storeTestDatabases,
} from './store/__testUtils__/databases';

const databases = storeTestDatabases();

describe.each(databases.eachSupportedId())('the plugin on %s', id => {
  const start = async (migrations?: { skip: boolean }) => {
    const knex = await databases.init(id);
    expect(clientOf(knex)).toBe(expectedClient(id));
    const backend = await startTestBackend({
      features: [
        namespaceTransferPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.database.factory({ knex, migrations }),
      ],
    });
    return { knex, backend };
  };

  it('migrates its database at start-up', async () => {
    const { knex, backend } = await start();
    for (const table of ['batches', 'transfers', 'decisions', 'events'])
      expect(await knex.schema.hasTable(table)).toBe(true);
    await backend.stop();
  });

  it('leaves the database alone when database.migrations.skip is set', async () => {
    const { knex, backend } = await start({ skip: true });
    expect(await knex.schema.hasTable('transfers')).toBe(false);
    expect(await knex.schema.hasTable('knex_migrations')).toBe(false);
    await backend.stop();
  });
});
