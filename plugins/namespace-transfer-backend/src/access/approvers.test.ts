import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import type { Transfer } from '../store';
import { newTransfer } from '../store/__testUtils__/transfers';
import { sourceApprovers, transferReaders } from './approvers';

const ADMINS = ['group:default/platform'];
const transfer = { ...newTransfer(), id: 'tr-1' } as Transfer;

function accessWith(
  claim: () => Promise<{ owners: string[] }>,
  entity: () => Promise<string[]>,
) {
  const access = {
    claimOwnership: jest.fn(claim),
    transferResource: jest.fn(async (t: Transfer) => ({
      transfer: t,
      sourceOwners: await entity(),
      destinationOwners: [],
    })),
  };
  return access;
}

describe('sourceApprovers', () => {
  it("asks the claim's owners now", async () => {
    const access = accessWith(
      async () => ({ owners: ['group:default/team-payments'] }),
      async () => ['group:default/someone-else'],
    );
    await expect(sourceApprovers(access, ADMINS)(transfer)).resolves.toEqual([
      'group:default/team-payments',
    ]);
    expect(access.claimOwnership).toHaveBeenCalledWith(transfer.source);
    expect(access.transferResource).not.toHaveBeenCalled();
  });

  it('asks the admins about a claim nobody owns', async () => {
    const access = accessWith(
      async () => ({ owners: [] }),
      async () => ['group:default/team-payments'],
    );
    await expect(sourceApprovers(access, ADMINS)(transfer)).resolves.toEqual(
      ADMINS,
    );
  });

  it.each([
    ['gone', new NotFoundError('claim payments-db-data not found')],
    ['unreachable', new ServiceUnavailableError('cluster east did not answer')],
  ])(
    "falls back to the source entity's owners when the claim is %s",
    async (_, error) => {
      const logger = mockServices.logger.mock();
      const access = accessWith(
        async () => {
          throw error;
        },
        async () => ['group:default/team-payments'],
      );
      await expect(
        sourceApprovers(access, ADMINS, logger)(transfer),
      ).resolves.toEqual(['group:default/team-payments']);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining(error.message),
      );
    },
  );

  it('falls back to the admins when neither the claim nor the catalog answers', async () => {
    const logger = mockServices.logger.mock();
    const access = accessWith(
      async () => {
        throw new ServiceUnavailableError('cluster east did not answer');
      },
      async () => {
        throw new Error('catalog unavailable');
      },
    );
    await expect(
      sourceApprovers(access, ADMINS, logger)(transfer),
    ).resolves.toEqual(ADMINS);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('catalog unavailable'),
    );
  });
});

describe('transferReaders', () => {
  it('are the requester, the owners of both sides now and the admins, each once', async () => {
    const access = {
      transferResource: jest.fn(async (t: Transfer) => ({
        transfer: t,
        sourceOwners: ['group:default/team-payments'],
        destinationOwners: [
          'group:default/team-next',
          'group:default/platform',
        ],
      })),
    };
    await expect(transferReaders(access, ADMINS)(transfer)).resolves.toEqual([
      transfer.requester,
      'group:default/team-payments',
      'group:default/team-next',
      'group:default/platform',
    ]);
    expect(access.transferResource).toHaveBeenCalledWith(transfer);
  });

  it('are the requester and the admins when the catalog does not answer, said in the log', async () => {
    const logger = mockServices.logger.mock();
    const access = {
      transferResource: jest.fn(async () => {
        throw new Error('catalog unavailable');
      }),
    };
    await expect(
      transferReaders(access, ADMINS, logger)(transfer),
    ).resolves.toEqual([transfer.requester, ...ADMINS]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('catalog unavailable'),
    );
  });
});
