import { Entity } from '@backstage/catalog-model';
import { decideClaimOwnership } from './decideClaimOwnership';
import { destinationOfEntity } from './destinationLabels';
import { namespaceNamesEntity } from './entityClaim';

const entity = (
  name: string,
  annotations: Record<string, string>,
  owner = 'group:default/team-a',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const NS = 'backstage.io/kubernetes-namespace';
const ID = 'backstage.io/kubernetes-id';
const SELECTOR = 'backstage.io/kubernetes-label-selector';

const claim = { cluster: 'east', namespace: 'payments', claim: 'db-data' };
const labels = { [ID]: 'payments-db', app: 'db' };
const payments = entity('payments-db', {
  [NS]: 'payments',
  [ID]: 'payments-db',
});

describe('decideClaimOwnership', () => {
  it('gives the claim to the one entity whose namespace and selector match, and its owners', () => {
    expect(
      decideClaimOwnership({ claim, labels, entities: [payments] }),
    ).toEqual({
      entityRef: 'component:default/payments-db',
      owners: ['group:default/team-a'],
    });
  });

  it('a second entity claiming the same claim leaves nobody but the admins, naming both', () => {
    const thief = entity(
      'bobs-thing',
      { [NS]: 'payments', [SELECTOR]: 'app=db' },
      'user:default/bob',
    );
    const result = decideClaimOwnership({
      claim,
      labels,
      entities: [payments, thief],
    });
    expect(result.owners).toEqual([]);
    expect(result.entityRef).toBeUndefined();
    expect(result.unowned).toMatch(
      /several catalog entities \(component:default\/bobs-thing, component:default\/payments-db\)/,
    );
  });

  it('an entity whose selector has no equality part owns nothing and does not collide', () => {
    const catchAll = entity(
      'everything',
      { [NS]: 'payments', [SELECTOR]: 'app!=nothing' },
      'user:default/bob',
    );
    expect(
      decideClaimOwnership({ claim, labels, entities: [catchAll] }),
    ).toMatchObject({
      owners: [],
      unowned: expect.stringMatching(/requires no label value/),
    });
    expect(
      decideClaimOwnership({ claim, labels, entities: [payments, catchAll] }),
    ).toMatchObject({ entityRef: 'component:default/payments-db' });
  });

  it('an entity without a namespace annotation owns nothing', () => {
    const anywhere = entity('anywhere', { [ID]: 'payments-db' });
    expect(
      decideClaimOwnership({ claim, labels, entities: [anywhere] }),
    ).toMatchObject({
      owners: [],
      unowned: expect.stringMatching(
        /has no 'backstage.io\/kubernetes-namespace' annotation/,
      ),
    });
  });

  it('ignores an entity of another namespace or whose labels the claim lacks', () => {
    const other = entity('other', { [NS]: 'orders', [ID]: 'payments-db' });
    const unlabelled = entity('unlabelled', { [NS]: 'payments', [ID]: 'x' });
    expect(
      decideClaimOwnership({ claim, labels, entities: [other, unlabelled] }),
    ).toMatchObject({
      owners: [],
      unowned: expect.stringMatching(
        /^no catalog entity owns payments\/db-data on cluster 'east'/,
      ),
    });
  });

  it('where the namespace owner annotation is configured, it must name the entity', () => {
    const base = {
      claim,
      labels,
      entities: [payments],
      ownerAnnotation: 'example.com/owner',
    };
    expect(
      decideClaimOwnership({ ...base, namespaceAnnotations: {} }),
    ).toMatchObject({
      owners: [],
      unowned: expect.stringMatching(
        /annotation 'example.com\/owner' does not name component:default\/payments-db/,
      ),
    });
    for (const value of [
      'payments-db',
      'component:default/payments-db',
      'Component:default/Payments-DB, component:default/other',
    ]) {
      expect(
        decideClaimOwnership({
          ...base,
          namespaceAnnotations: { 'example.com/owner': value },
        }),
      ).toMatchObject({ entityRef: 'component:default/payments-db' });
    }
    expect(
      decideClaimOwnership({
        ...base,
        namespaceAnnotations: { 'example.com/owner': 'someone-else' },
      }).owners,
    ).toEqual([]);
  });

  it('an owning entity without an owner in the catalog: nobody but the admins', () => {
    const orphan = { ...payments, relations: [] };
    expect(
      decideClaimOwnership({ claim, labels, entities: [orphan] }),
    ).toMatchObject({
      entityRef: 'component:default/payments-db',
      owners: [],
      unowned: expect.stringMatching(/has no owner/),
    });
  });
});

describe('namespaceNamesEntity', () => {
  it('matches a name or a full ref, never a prefix', () => {
    expect(namespaceNamesEntity('payments-db', payments)).toBe(true);
    expect(namespaceNamesEntity('payments', payments)).toBe(false);
    expect(namespaceNamesEntity(undefined, payments)).toBe(false);
  });
});

describe('destinationOfEntity', () => {
  it('gives the namespace and the labels a destination claim carries', () => {
    expect(destinationOfEntity(payments)).toEqual({
      entityRef: 'component:default/payments-db',
      namespace: 'payments',
      labels: { [ID]: 'payments-db' },
    });
    expect(
      destinationOfEntity(
        entity('s', { [NS]: 'eu', [SELECTOR]: 'app=db,tier in (data),env!=x' }),
      ).labels,
    ).toEqual({ app: 'db', tier: 'data' });
  });

  it('refuses with a 400 an entity without a namespace or with a set-based selector only', () => {
    expect(() => destinationOfEntity(entity('a', { [ID]: 'a' }))).toThrow(
      /cannot receive a transfer: .*no 'backstage.io\/kubernetes-namespace'/,
    );
    expect(() =>
      destinationOfEntity(
        entity('b', { [NS]: 'eu', [SELECTOR]: 'env in (a,b)' }),
      ),
    ).toThrow(expect.objectContaining({ name: 'InputError' }));
  });
});
