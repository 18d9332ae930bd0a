/**
 * `$(VAR)` expansion with the rules of Kubernetes' forked `expansion` package: `$$` is an escaped `$`,
 * a reference to an undefined variable (or an unterminated one) is left as written, any other `$x` is
 * kept literally. Used for env values (against the variables defined before them) and command/args.
 */
export function expand(
  input: string,
  lookup: (name: string) => string | undefined,
): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        // Unterminated reference: Kubernetes emits the remainder verbatim.
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = name === '' ? undefined : lookup(name);
      out += value === undefined ? `$(${name})` : value;
      i = close + 1;
      continue;
    }
    out += ch + next;
    i += 2;
  }
  return out;
}
