import { volumesQuerySchema } from './schemas';

describe('volumesQuerySchema', () => {
  it('accepts a full entity reference', () => {
    expect(
      volumesQuerySchema.parse({ entityRef: 'component:default/payments-db' }),
    ).toEqual({
      entityRef: 'component:default/payments-db',
    });
  });

  it.each([
    [{}],
    [{ entityRef: '' }],
    [{ entityRef: 'payments-db' }],
    [{ entityRef: 'component:payments-db' }],
  ])('rejects %j', query => {
    const result = volumesQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    const message = result.success ? '' : result.error.issues[0].message;
    expect(message).toMatch(/entityRef/);
  });
});
