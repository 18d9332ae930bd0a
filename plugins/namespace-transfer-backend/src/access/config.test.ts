import { ConfigReader } from '@backstage/config';
import { readAccessConfig } from './config';

const read = (namespaceTransfer: object) =>
  readAccessConfig(new ConfigReader({ namespaceTransfer }));

describe('readAccessConfig', () => {
  it('defaults: no admins, no self-approval, no namespace owner annotation', () => {
    expect(read({})).toEqual({
      admins: [],
      allowSelfApproval: false,
      namespaceOwnerAnnotation: undefined,
    });
  });

  it('reads admins as full lowercase refs, the namespace defaulted', () => {
    expect(
      read({
        admins: ['group:default/Platform', 'user:ada'],
        approvals: { allowSelfApproval: true },
        ownership: { namespaceOwnerAnnotation: 'example.com/owner' },
      }),
    ).toEqual({
      admins: ['group:default/platform', 'user:default/ada'],
      allowSelfApproval: true,
      namespaceOwnerAnnotation: 'example.com/owner',
    });
  });

  it.each([['component:default/db'], ['ada'], ['']])(
    'refuses the admin %j, naming the key',
    admin => {
      expect(() => read({ admins: ['group:default/ok', admin] })).toThrow(
        /namespaceTransfer\.admins\[1\]/,
      );
    },
  );

  it('refuses a namespace owner annotation no namespace can carry, and a self-approval that is not a boolean', () => {
    expect(() =>
      read({ ownership: { namespaceOwnerAnnotation: 'not a key!' } }),
    ).toThrow(/namespaceTransfer\.ownership\.namespaceOwnerAnnotation must be/);
    expect(() => read({ approvals: { allowSelfApproval: 'yes' } })).toThrow(
      /namespaceTransfer\.approvals\.allowSelfApproval/,
    );
  });
});
