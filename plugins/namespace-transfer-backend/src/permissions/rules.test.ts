import type { Transfer } from '../store';
import { claimsParamsSchema } from './claimsParams';
import { TransferResource } from './resource';
import {
  isDestinationOwner,
  isRequester,
  isSourceOwner,
  transferPermissionRules,
} from './rules';

const resource: TransferResource = {
  transfer: { requester: 'user:default/rita' } as Transfer,
  sourceOwners: ['group:default/team-shop'],
  destinationOwners: ['group:default/team-eu'],
};

describe('the rules of the namespace-transfer resource type', () => {
  it.each([
    [isRequester, ['user:default/rita'], true],
    [isRequester, ['User:Default/Rita'], true],
    [isRequester, ['user:default/sam', 'group:default/team-shop'], false],
    [isSourceOwner, ['user:default/sam', 'group:default/team-shop'], true],
    [isSourceOwner, ['group:default/team-eu'], false],
    [isDestinationOwner, ['group:default/team-eu'], true],
    [isDestinationOwner, ['user:default/rita'], false],
    [isSourceOwner, [], false],
  ] as const)('%p.apply(%j) → %p', (rule, claims, expected) => {
    expect(rule.apply(resource, { claims: [...claims] })).toBe(expected);
  });

  it('turn into store queries naming the side and the claims', () => {
    const claims = ['user:default/sam', 'group:default/team-shop'];
    expect(isRequester.toQuery({ claims })).toEqual({
      property: 'requester',
      values: claims,
    });
    expect(isSourceOwner.toQuery({ claims })).toEqual({
      property: 'sourceOwnedBy',
      values: claims,
    });
    expect(isDestinationOwner.toQuery({ claims })).toEqual({
      property: 'destinationOwnedBy',
      values: claims,
    });
  });

  it('are named as common says and belong to the resource type', () => {
    expect(
      Object.values(transferPermissionRules).map(r => [r.name, r.resourceType]),
    ).toEqual([
      ['IS_REQUESTER', 'namespace-transfer'],
      ['IS_SOURCE_OWNER', 'namespace-transfer'],
      ['IS_DESTINATION_OWNER', 'namespace-transfer'],
    ]);
  });

  it('validate their params: claims, an array of strings, and nothing else', () => {
    const { validate } = claimsParamsSchema['~standard'];
    expect(validate({ claims: ['user:default/a'] })).toEqual({
      value: { claims: ['user:default/a'] },
    });
    expect(validate({ claims: 'user:default/a' })).toMatchObject({
      issues: [{ path: ['claims'] }],
    });
    expect(validate({ claims: [], extra: 1 })).toMatchObject({
      issues: [{ message: expect.stringMatching(/unknown params extra/) }],
    });
    expect(validate(null)).toHaveProperty('issues');
  });
});
