/**
 * Label and field selectors with the syntax of k8s.io/apimachinery/pkg/labels and .../fields:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a` for labels; `a=b`, `a==b`, `a!=b` for fields.
 */

/** A selector string that does not parse; the API server answers it with a 400 carrying the message. */
export class SelectorSyntaxError extends Error {}

const badRequest = (message: string) => new SelectorSyntaxError(message);

/** `none` stands for an operator metav1.LabelSelector does not know: it matches nothing. */
type Op = 'eq' | 'neq' | 'in' | 'notin' | 'exists' | 'notexists' | 'none';

/** A metav1.LabelSelector object. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

type Labels = Record<string, string> | undefined;

interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

export type Matcher = (get: (key: string) => string | undefined) => boolean;

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parseLabelRequirement(term: string): Requirement {
  let m = /^!\s*(\S+)$/.exec(term);
  if (m) return { key: m[1], op: 'notexists', values: [] };
  m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) {
    const values = m[3]
      .split(',')
      .map(v => v.trim())
      .filter((v, _i, all) => v.length > 0 || all.length === 1);
    return { key: m[1], op: m[2] as Op, values };
  }
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) return { key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', values: [m[3]] };
  m = /^([^=!\s()]+)$/.exec(term);
  if (m) return { key: m[1], op: 'exists', values: [] };
  throw badRequest(
    `unable to parse requirement: found '${term}', expected: !, identifier, or 'end of string'`,
  );
}

function evaluate(reqs: Requirement[]): Matcher {
  return get =>
    reqs.every(r => {
      const v = get(r.key);
      switch (r.op) {
        case 'eq':
          return v !== undefined && v === r.values[0];
        case 'neq':
          return v === undefined || v !== r.values[0];
        case 'in':
          return v !== undefined && r.values.includes(v);
        case 'notin':
          return v === undefined || !r.values.includes(v);
        case 'exists':
          return v !== undefined;
        case 'notexists':
          return v === undefined;
        default:
          return false;
      }
    });
}

export function parseLabelSelector(s: string | undefined | null): Matcher {
  if (!s || !s.trim()) return () => true;
  const reqs = splitTopLevel(s).map(parseLabelRequirement);
  for (const r of reqs) {
    if (!LABEL_KEY.test(r.key))
      throw badRequest(
        `unable to parse requirement: invalid label key "${r.key}"`,
      );
    for (const v of r.values) {
      if (v.length > 63 || !LABEL_VALUE.test(v))
        throw badRequest(
          `unable to parse requirement: invalid label value: "${v}"`,
        );
    }
  }
  return evaluate(reqs);
}

/** Own keys only: a label named like an Object.prototype member must not appear to be set. */
const labelGetter =
  (labels: Labels) =>
  (key: string): string | undefined =>
    labels && Object.prototype.hasOwnProperty.call(labels, key)
      ? labels[key]
      : undefined;

export function matchLabels(selector: Matcher, labels: Labels): boolean {
  return selector(labelGetter(labels));
}

export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

/** Parses a field selector; the caller checks the fields against what the kind supports. */
export function parseFieldSelector(
  s: string | undefined | null,
): FieldRequirement[] {
  if (!s || !s.trim()) return [];
  return splitTopLevel(s).map(term => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m)
      throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    return {
      field: m[1].trim(),
      op: m[2] === '!=' ? 'neq' : 'eq',
      value: m[3].trim(),
    };
  });
}

export function matchFields(
  reqs: FieldRequirement[],
  get: (field: string) => string | undefined,
): boolean {
  return reqs.every(r => {
    const v = get(r.field) ?? '';
    return r.op === 'eq' ? v === r.value : v !== r.value;
  });
}

const OPERATORS: Record<string, Op> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: 'notexists',
};

/** A `metav1.LabelSelector` object (matchLabels + matchExpressions) as a Matcher. */
export function labelSelectorFromObject(sel: LabelSelectorObject): Matcher {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {}))
    reqs.push({ key, op: 'eq', values: [value] });
  for (const e of sel.matchExpressions ?? []) {
    const op = OPERATORS[e.operator] ?? 'none';
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return evaluate(reqs);
}

/** The string form the Scale subresource reports in status.selector. */
export function labelSelectorToString(sel: LabelSelectorObject): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}))
    parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.sort().join(',');
}

/**
 * A workload's or claim's selector against labels. An empty selector matches everything; a missing
 * one matches nothing (for Services and workloads the callers decide that themselves).
 */
export function matchesSelector(
  selector: LabelSelectorObject | undefined,
  labels: Labels,
): boolean {
  if (!selector) return false;
  return matchLabels(labelSelectorFromObject(selector), labels);
}

/** A Service's (or nodeSelector's) plain map selector: every pair must match; empty matches everything. */
export function matchesMap(
  selector: Record<string, string> | undefined,
  labels: Labels,
): boolean {
  const l = labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => l[k] === v);
}

/** The labelSelector query string form of a map selector. */
export function mapToQuery(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
