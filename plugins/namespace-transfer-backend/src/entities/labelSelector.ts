import { KubernetesValidatorFunctions } from '@backstage/catalog-model';

/**
 * Kubernetes' label selector syntax (k8s.io/apimachinery `labels.Parse`), parsed and matched here so that
 * one listing of a namespace serves both "everything in it" and "what carries the entity's labels":
 * `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key>1`,
 * `key<1`, joined by commas. Keys and values follow Kubernetes' own rules, so a selector the API server
 * would refuse is refused here too, naming the rule.
 */

type Operator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: Operator;
  values: string[];
}

export class LabelSelectorSyntaxError extends Error {
  name = 'LabelSelectorSyntaxError';
}

export const LABEL_KEY_RULE =
  "a label key is an optional DNS subdomain prefix and '/', then 1-63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
export const LABEL_VALUE_RULE =
  "a label value is empty or 1-63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

type Token =
  | { type: 'id'; text: string }
  | { type: 'op'; text: '!' | '=' | '==' | '!=' | '>' | '<' }
  | { type: '(' | ')' | ',' | 'end' };

const OPERATORS: Record<string, Operator> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const isSpace = (ch: string) => /\s/.test(ch);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (isSpace(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch });
      i++;
    } else if (ch === '!' || ch === '=') {
      if (text[i + 1] === '=') {
        tokens.push({ type: 'op', text: ch === '!' ? '!=' : '==' });
        i += 2;
      } else {
        tokens.push({ type: 'op', text: ch });
        i++;
      }
    } else if (ch === '>' || ch === '<') {
      tokens.push({ type: 'op', text: ch });
      i++;
    } else {
      let j = i;
      while (j < text.length && !SPECIAL.has(text[j]) && !isSpace(text[j])) j++;
      tokens.push({ type: 'id', text: text.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ type: 'end' });
  return tokens;
}

const describe = (t: Token) =>
  t.type === 'end'
    ? 'the end'
    : `'${t.type === 'id' || t.type === 'op' ? t.text : t.type}'`;

function checkKey(key: string) {
  if (!KubernetesValidatorFunctions.isValidLabelKey(key)) {
    throw new LabelSelectorSyntaxError(
      `${JSON.stringify(key)} is not a label key: ${LABEL_KEY_RULE}`,
    );
  }
}

function checkValue(value: string) {
  if (!KubernetesValidatorFunctions.isValidLabelValue(value)) {
    throw new LabelSelectorSyntaxError(
      `${JSON.stringify(value)} is not a label value: ${LABEL_VALUE_RULE}`,
    );
  }
}

/** Parses a selector; throws LabelSelectorSyntaxError naming what is wrong. An empty selector selects all. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const fail = (t: Token, expected: string): never => {
    throw new LabelSelectorSyntaxError(
      `found ${describe(t)}, expected ${expected}`,
    );
  };
  const requirements: LabelRequirement[] = [];
  if (peek().type === 'end') return requirements;
  for (;;) {
    let t = next();
    if (t.type === 'op' && t.text === '!') {
      const key = next();
      if (key.type !== 'id') fail(key, 'a label key after !');
      checkKey((key as { text: string }).text);
      requirements.push({
        key: (key as { text: string }).text,
        operator: '!',
        values: [],
      });
    } else if (t.type === 'id' && t.text !== 'in' && t.text !== 'notin') {
      const key = t.text;
      checkKey(key);
      t = peek();
      if (t.type === ',' || t.type === 'end') {
        requirements.push({ key, operator: 'exists', values: [] });
      } else if (t.type === 'op' && t.text !== '!') {
        next();
        const op = t.text;
        const v = peek();
        let value = '';
        if (v.type === 'id') {
          value = v.text;
          next();
        } else if (
          !(v.type === ',' || v.type === 'end') ||
          op === '>' ||
          op === '<'
        ) {
          fail(v, 'a label value');
        }
        if (op === '>' || op === '<') {
          if (!/^-?\d+$/.test(value)) {
            throw new LabelSelectorSyntaxError(
              `${JSON.stringify(value)} is not an integer, which ${op} compares with`,
            );
          }
        } else {
          checkValue(value);
        }
        requirements.push({ key, operator: OPERATORS[op], values: [value] });
      } else if (t.type === 'id' && (t.text === 'in' || t.text === 'notin')) {
        next();
        const open = next();
        if (open.type !== '(') fail(open, `'(' after ${t.text}`);
        // as Kubernetes reads a list: `(a,,b)` and `(a,)` hold an empty value too
        const values = new Set<string>();
        if (peek().type === ')')
          throw new LabelSelectorSyntaxError(
            `${t.text} needs at least one value`,
          );
        for (;;) {
          const v = next();
          if (v.type === 'id') {
            checkValue(v.text);
            values.add(v.text);
            const after = peek();
            if (after.type === ')') {
              next();
              break;
            }
            if (after.type !== ',') fail(after, "',' or ')'");
          } else if (v.type === ',') {
            if (values.size === 0) values.add('');
            const after = peek();
            if (after.type === ')') {
              values.add('');
              next();
              break;
            }
            if (after.type === ',') {
              next();
              values.add('');
            }
          } else {
            fail(v, "a label value or ','");
          }
        }
        requirements.push({
          key,
          operator: t.text as 'in' | 'notin',
          values: [...values],
        });
      } else {
        fail(t, "an operator (=, ==, !=, in, notin, >, <), ',' or the end");
      }
    } else {
      fail(t, 'a label key');
    }
    const sep = next();
    if (sep.type === 'end') return requirements;
    if (sep.type !== ',') fail(sep, "',' or the end");
    if (peek().type === 'end') fail(peek(), "a requirement after ','");
  }
}

function matchesOne(
  r: LabelRequirement,
  labels: Record<string, string>,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return has && r.values.includes(value!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const [actual, limit] = [BigInt(value!), BigInt(r.values[0])];
      return r.operator === 'gt' ? actual > limit : actual < limit;
    }
    default:
      return false;
  }
}

/** A predicate over an object's labels; throws LabelSelectorSyntaxError for a selector Kubernetes refuses. */
export function labelSelectorMatcher(
  text: string,
): (labels: Record<string, string> | undefined) => boolean {
  const requirements = parseLabelSelector(text);
  return labels => requirements.every(r => matchesOne(r, labels ?? {}));
}
