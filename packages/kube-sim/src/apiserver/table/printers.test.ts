import { age, crdPrinter, printerFor } from './printers';
import { wantsTable } from '.';

describe('table printing', () => {
  it('formats ages like kubectl', () => {
    const now = Date.parse('2024-01-10T00:00:00Z');
    const ago = (s: number) => new Date(now - s * 1000).toISOString();
    expect(age(ago(5), now)).toBe('5s');
    expect(age(ago(130), now)).toBe('2m10s');
    expect(age(ago(3600), now)).toBe('60m');
    expect(age(ago(5 * 3600), now)).toBe('5h');
    expect(age(ago(3 * 86400 + 3600), now)).toBe('3d1h');
  });

  it('prints pods with ready counts and Terminating', () => {
    const p = printerFor('Pod', '');
    const pod = {
      metadata: {
        name: 'p',
        creationTimestamp: new Date().toISOString(),
        deletionTimestamp: new Date().toISOString(),
      },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n' },
      status: {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 2 },
          { ready: false, restartCount: 1 },
        ],
      },
    };
    expect(p.cells(pod).slice(0, 4)).toEqual(['p', '1/2', 'Terminating', '3']);
  });

  it('prints ResourceQuotas as used/hard, requests apart from limits', () => {
    const p = printerFor('ResourceQuota', '');
    expect(p.columns.map(c => c.name)).toEqual([
      'Name',
      'Age',
      'Request',
      'Limit',
    ]);
    const cells = p.cells({
      metadata: {
        name: 'compute',
        creationTimestamp: new Date().toISOString(),
      },
      status: {
        hard: { pods: '10', 'limits.cpu': '2', 'requests.memory': '1Gi' },
        used: { pods: '1', 'limits.cpu': '500m' },
      },
    });
    expect([cells[0], cells[2], cells[3]]).toEqual([
      'compute',
      'pods: 1/10, requests.memory: 0/1Gi',
      'limits.cpu: 500m/2',
    ]);
  });

  it('prints IngressClasses with their controller and parameters', () => {
    const p = printerFor('IngressClass', 'networking.k8s.io');
    expect(p.columns.map(c => c.name)).toEqual([
      'Name',
      'Controller',
      'Parameters',
      'Age',
    ]);
    const ic = (parameters?: object) => ({
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx', parameters },
    });
    expect(p.cells(ic()).slice(0, 3)).toEqual([
      'nginx',
      'k8s.io/ingress-nginx',
      '<none>',
    ]);
    expect(
      p.cells(ic({ apiGroup: 'k8s.example.com', kind: 'Cfg', name: 'a' }))[2],
    ).toBe('Cfg.k8s.example.com/a');
    expect(p.cells(ic({ kind: 'ConfigMap', name: 'b' }))[2]).toBe(
      'ConfigMap/b',
    );
  });

  it('uses additionalPrinterColumns for custom resources', () => {
    const p = crdPrinter([
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    ]);
    // no Age of the server's own: a CRD that wants one declares it (as deploy/crds do)
    expect(p.columns.map(c => c.name)).toEqual(['Name', 'Phase']);
    expect(crdPrinter([]).columns.map(c => c.name)).toEqual(['Name', 'Age']);
    expect(
      p
        .cells({ metadata: { name: 'x' }, status: { phase: 'Done' } })
        .slice(0, 2),
    ).toEqual(['x', 'Done']);
  });

  it('negotiates Table from the Accept header', () => {
    expect(
      wantsTable(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      ),
    ).toBe('v1');
    expect(wantsTable('application/json')).toBeUndefined();
    expect(wantsTable(undefined)).toBeUndefined();
  });
});
