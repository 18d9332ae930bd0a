/** PodSpec validation (ValidatePodSpec), shared by Pods and every workload's template. */
import {
  type FieldError,
  duplicate,
  invalid,
  notSupported,
  required,
} from '../errors';
import type { KObject } from '../registry/types';
import { dns1123Label, isEnvVarName } from './names';
import { QUANTITY_MESSAGE, tryParseQuantity } from '../../lib/quantity';

const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'secret',
  'configMap',
  'persistentVolumeClaim',
  'downwardAPI',
  'projected',
  'nfs',
  'csi',
  'ephemeral',
  'local',
];

function validatePort(p: KObject, path: string, errs: FieldError[]): void {
  const cp = p.containerPort;
  if (cp === undefined) errs.push(required(`${path}.containerPort`));
  else if (!Number.isInteger(cp) || cp < 1 || cp > 65535)
    errs.push(
      invalid(
        `${path}.containerPort`,
        cp,
        'must be between 1 and 65535, inclusive',
      ),
    );
  if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol))
    errs.push(
      notSupported(`${path}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']),
    );
  if (
    p.name !== undefined &&
    (typeof p.name !== 'string' ||
      !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name) ||
      p.name.length > 15 ||
      !/[a-z]/.test(p.name))
  )
    errs.push(
      invalid(
        `${path}.name`,
        p.name,
        'must be no more than 15 characters and contain only lower case letters, digits and hyphens, with at least one letter',
      ),
    );
}

function validateResources(
  r: KObject | undefined,
  path: string,
  errs: FieldError[],
): void {
  for (const kind of ['limits', 'requests'] as const) {
    for (const [k, v] of Object.entries(r?.[kind] ?? {})) {
      const n = tryParseQuantity(v);
      if (n === undefined)
        errs.push(invalid(`${path}.${kind}[${k}]`, v, QUANTITY_MESSAGE));
      else if (n < 0)
        errs.push(
          invalid(
            `${path}.${kind}[${k}]`,
            v,
            'must be greater than or equal to 0',
          ),
        );
    }
  }
  for (const [k, v] of Object.entries(r?.requests ?? {})) {
    const lim = r?.limits?.[k];
    if (
      lim !== undefined &&
      (tryParseQuantity(v) ?? 0) > (tryParseQuantity(lim) ?? Infinity)
    )
      errs.push(
        invalid(
          `${path}.requests`,
          v,
          `must be less than or equal to ${k} limit of ${lim}`,
        ),
      );
  }
}

function validateContainers(
  list: unknown,
  path: string,
  volumes: Set<string>,
  errs: FieldError[],
  names: Set<string>,
): void {
  if (!Array.isArray(list)) return;
  list.forEach((c: KObject, i: number) => {
    const p = `${path}[${i}]`;
    if (!c || typeof c !== 'object') {
      errs.push(invalid(p, c, 'must be an object'));
      return;
    }
    if (!c.name) errs.push(required(`${p}.name`));
    else {
      for (const m of dns1123Label(c.name))
        errs.push(invalid(`${p}.name`, c.name, m));
      if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
      names.add(c.name);
    }
    if (!c.image) errs.push(required(`${p}.image`));
    if (
      c.imagePullPolicy &&
      !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)
    )
      errs.push(
        notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, [
          'Always',
          'IfNotPresent',
          'Never',
        ]),
      );
    if (c.command !== undefined && !Array.isArray(c.command))
      errs.push(invalid(`${p}.command`, c.command, 'must be a list'));
    (Array.isArray(c.ports) ? c.ports : []).forEach(
      (port: KObject, j: number) =>
        validatePort(port, `${p}.ports[${j}]`, errs),
    );
    (Array.isArray(c.env) ? c.env : []).forEach((e: KObject, j: number) => {
      if (!e?.name) errs.push(required(`${p}.env[${j}].name`));
      else if (!isEnvVarName(e.name))
        errs.push(
          invalid(
            `${p}.env[${j}].name`,
            e.name,
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
          ),
        );
      if (e?.value !== undefined && e?.valueFrom !== undefined)
        errs.push(
          invalid(
            `${p}.env[${j}].valueFrom`,
            '',
            'may not be specified when `value` is not empty',
          ),
        );
    });
    const mountPaths = new Set<string>();
    (Array.isArray(c.volumeMounts) ? c.volumeMounts : []).forEach(
      (m: KObject, j: number) => {
        const mp = `${p}.volumeMounts[${j}]`;
        if (!m?.name) errs.push(required(`${mp}.name`));
        else if (!volumes.has(m.name))
          errs.push({
            type: 'FieldValueNotFound',
            field: `${mp}.name`,
            value: m.name,
          });
        if (!m?.mountPath) errs.push(required(`${mp}.mountPath`));
        else if (mountPaths.has(m.mountPath))
          errs.push(invalid(`${mp}.mountPath`, m.mountPath, 'must be unique'));
        else mountPaths.add(m.mountPath);
      },
    );
    validateResources(c.resources, `${p}.resources`, errs);
  });
}

function validateVolumes(
  list: unknown,
  path: string,
  errs: FieldError[],
): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(list)) return names;
  list.forEach((v: KObject, i: number) => {
    const p = `${path}[${i}]`;
    if (!v?.name) errs.push(required(`${p}.name`));
    else {
      for (const m of dns1123Label(v.name))
        errs.push(invalid(`${p}.name`, v.name, m));
      if (names.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter(s => v && s in v);
    if (sources.length === 0)
      errs.push(required(p, 'must specify a volume type'));
    if (sources.length > 1)
      errs.push({
        type: 'FieldValueForbidden',
        field: `${p}.${sources[1]}`,
        detail: `may not specify more than 1 volume type`,
      });
    if (v?.persistentVolumeClaim && !v.persistentVolumeClaim.claimName)
      errs.push(required(`${p}.persistentVolumeClaim.claimName`));
    if (v?.hostPath && !v.hostPath.path)
      errs.push(required(`${p}.hostPath.path`));
    if (v?.secret && !v.secret.secretName)
      errs.push(required(`${p}.secret.secretName`));
    if (v?.configMap && !v.configMap.name)
      errs.push(required(`${p}.configMap.name`));
  });
  return names;
}

export function validatePodSpec(
  spec: KObject | undefined,
  path: string,
  restartPolicies?: string[],
): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec || typeof spec !== 'object') return [required(path)];
  const volumes = validateVolumes(spec.volumes, `${path}.volumes`, errs);
  if (!Array.isArray(spec.containers) || spec.containers.length === 0)
    errs.push(required(`${path}.containers`));
  const names = new Set<string>();
  validateContainers(
    spec.containers,
    `${path}.containers`,
    volumes,
    errs,
    names,
  );
  validateContainers(
    spec.initContainers,
    `${path}.initContainers`,
    volumes,
    errs,
    names,
  );
  const policies = ['Always', 'OnFailure', 'Never'];
  if (spec.restartPolicy && !policies.includes(spec.restartPolicy))
    errs.push(
      notSupported(`${path}.restartPolicy`, spec.restartPolicy, policies),
    );
  else if (
    restartPolicies &&
    spec.restartPolicy &&
    !restartPolicies.includes(spec.restartPolicy)
  )
    errs.push(
      notSupported(
        `${path}.restartPolicy`,
        spec.restartPolicy,
        restartPolicies,
      ),
    );
  const dns = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (spec.dnsPolicy && !dns.includes(spec.dnsPolicy))
    errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, dns));
  if (
    spec.terminationGracePeriodSeconds !== undefined &&
    !Number.isInteger(spec.terminationGracePeriodSeconds)
  )
    errs.push(
      invalid(
        `${path}.terminationGracePeriodSeconds`,
        spec.terminationGracePeriodSeconds,
        'must be an integer',
      ),
    );
  if (
    spec.activeDeadlineSeconds !== undefined &&
    !(spec.activeDeadlineSeconds > 0)
  )
    errs.push(
      invalid(
        `${path}.activeDeadlineSeconds`,
        spec.activeDeadlineSeconds,
        'must be between 1 and 2147483647, inclusive',
      ),
    );
  const sc = spec.securityContext ?? {};
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    if (
      sc[f] !== undefined &&
      (!Number.isInteger(sc[f]) || sc[f] < 0 || sc[f] > 2147483647)
    )
      errs.push(
        invalid(
          `${path}.securityContext.${f}`,
          sc[f],
          'must be between 0 and 2147483647, inclusive',
        ),
      );
  }
  return errs;
}
