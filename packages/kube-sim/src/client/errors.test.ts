import { ApiException } from '@kubernetes/client-node';
import { ApiError } from '../controllers/kube/rest';
import { retryOnConflict } from './conflict';
import { describeError, httpStatusOf, isConflict, reasonOf } from './errors';

const status = (code: number, reason: string) => ({
  kind: 'Status',
  code,
  reason,
  message: `${reason} happened`,
});

describe('API errors of every client', () => {
  it('reads the code and reason of client-node, watch and RestClient errors', () => {
    const clientNode = new ApiException(
      409,
      'conflict',
      JSON.stringify(status(409, 'Conflict')),
      {},
    );
    expect(httpStatusOf(clientNode)).toBe(409);
    expect(reasonOf(clientNode)).toBe('Conflict');
    expect(httpStatusOf({ statusCode: 410 })).toBe(410);
    expect(httpStatusOf(new Error('socket hang up'))).toBeUndefined();
    const rest = new ApiError(
      409,
      'AlreadyExists',
      status(409, 'AlreadyExists'),
    );
    expect(reasonOf(rest)).toBe('AlreadyExists');
  });

  it('tells a stale resourceVersion from a name that already exists', () => {
    expect(isConflict(new ApiError(409, 'Conflict', {}))).toBe(true);
    expect(isConflict(new ApiError(409, 'AlreadyExists', {}))).toBe(false);
    expect(
      isConflict(
        new ApiException(
          409,
          'x',
          JSON.stringify(status(409, 'AlreadyExists')),
          {},
        ),
      ),
    ).toBe(false);
    expect(isConflict(new ApiError(404, 'NotFound', {}))).toBe(false);
  });

  it('describes errors with their status', () => {
    expect(
      describeError(new ApiError(404, 'NotFound', status(404, 'NotFound'))),
    ).toMatch(/^HTTP 404: 404 NotFound/);
  });
});

describe('retryOnConflict', () => {
  it('repeats the read-modify-write on conflicts only, up to the limit', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        if (calls < 3) throw new ApiError(409, 'Conflict', {});
        return 'done';
      }),
    ).resolves.toBe('done');
    expect(calls).toBe(3);

    calls = 0;
    const notFound = new ApiError(404, 'NotFound', {});
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw notFound;
      }),
    ).rejects.toBe(notFound);
    expect(calls).toBe(1);

    calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw new ApiError(409, 'Conflict', {});
      }, 2),
    ).rejects.toThrow(/409/);
    expect(calls).toBe(2);
  });
});
