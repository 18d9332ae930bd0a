/**
 * The roles shipped in deploy/ are what an operator installs; COPY_ROLE_RULES is what the engine's tests run
 * with. Comparing them here keeps the two from drifting apart. The copy role is a ClusterRole only to be
 * defined once: deploy/ must never bind it cluster-wide.
 */
import { join } from 'node:path';
import type {
  V1ClusterRoleBinding,
  V1PolicyRule,
  V1Role,
} from '@kubernetes/client-node';
import { readManifests } from 'kube-sim';
import {
  COPY_ROLE_NAME,
  COPY_ROLE_RULES,
  NODEPORT_GRANTS,
  REBIND_CLUSTER_ROLE_NAME,
  REBIND_CLUSTER_ROLE_RULES,
} from './rules';

const DEPLOY = join(__dirname, '..', '..', '..', '..', 'deploy');
const deployFile = (name: string) => join(DEPLOY, 'rbac', name);
const file = deployFile('namespace-transfer-copy.yaml');

/** One line per (apiGroup, resource, verb), so order and grouping of the rules do not matter. */
function grants(rules: V1PolicyRule[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    for (const g of r.apiGroups ?? [])
      for (const res of r.resources ?? [])
        for (const v of r.verbs) out.add(`${g}/${res}:${v}`);
  }
  return [...out].sort();
}

describe('deploy/rbac/namespace-transfer-copy.yaml', () => {
  let docs: unknown[];
  let role: V1Role;

  beforeAll(async () => {
    docs = await readManifests(file);
    role = docs[0] as V1Role;
  });

  it('is a ClusterRole named like the one the engine creates', () => {
    expect(docs).toHaveLength(1);
    expect(role.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(role.kind).toBe('ClusterRole');
    expect(role.metadata?.name).toBe(COPY_ROLE_NAME);
    expect(role.metadata?.namespace).toBeUndefined();
    // a ClusterRole with aggregation labels would be merged into others' roles
    expect(Object.keys(role.metadata?.labels ?? {})).toEqual([
      'app.kubernetes.io/name',
    ]);
  });

  it('is bound only by RoleBindings, in a namespace each, never cluster-wide', async () => {
    const bindings = (await readManifests(DEPLOY)).filter(
      d =>
        (d.kind === 'ClusterRoleBinding' || d.kind === 'RoleBinding') &&
        (d as V1ClusterRoleBinding).roleRef.name === COPY_ROLE_NAME,
    ) as V1ClusterRoleBinding[];
    expect(bindings.length).toBeGreaterThan(0);
    for (const b of bindings) {
      expect([b.kind, b.roleRef.kind]).toEqual(['RoleBinding', 'ClusterRole']);
      expect(b.metadata?.namespace).toMatch(/./);
    }
  });

  it('grants exactly COPY_ROLE_RULES', () => {
    expect(grants(role.rules ?? [])).toEqual(grants(COPY_ROLE_RULES));
  });

  it('grants nothing broader than named resources and verbs', () => {
    for (const r of role.rules ?? []) {
      expect(r.verbs).not.toContain('*');
      expect(r.resources).not.toContain('*');
      expect(r.apiGroups).not.toContain('*');
      expect(r.resourceNames ?? []).toEqual([]);
      expect(r.nonResourceURLs ?? []).toEqual([]);
    }
  });
});

describe('deploy/rbac/namespace-transfer-rebind.yaml', () => {
  it('ships the rebind ClusterRole with exactly REBIND_CLUSTER_ROLE_RULES', async () => {
    const docs = await readManifests(
      deployFile('namespace-transfer-rebind.yaml'),
    );
    const role = docs.find(
      d =>
        d.kind === 'ClusterRole' &&
        d.metadata?.name === REBIND_CLUSTER_ROLE_NAME,
    ) as V1Role | undefined;
    expect(role).toBeDefined();
    expect(grants(role!.rules ?? [])).toEqual(
      grants(REBIND_CLUSTER_ROLE_RULES),
    );
  });
});

describe('deploy/rbac/namespace-transfer-reader.yaml', () => {
  it('grants what the nodeport endpoint needs cluster-wide (NODEPORT_GRANTS)', async () => {
    const [reader] = (await readManifests(
      deployFile('namespace-transfer-reader.yaml'),
    )) as V1Role[];
    const granted = new Set(grants(reader.rules ?? []));
    for (const g of grants(NODEPORT_GRANTS)) expect(granted).toContain(g);
  });
});
