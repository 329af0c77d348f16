// pprof takes Go (RE2) regular expressions. The common subset is the same in JavaScript;
// Go's leading flag groups such as (?i) become JavaScript flags.

export class RegexpError extends Error {
  override readonly name = 'RegexpError';
}

export function compileGoRegexp(source: string, what: string): RegExp {
  let flags = '';
  let body = source;
  const m = /^\(\?([imsU]+)\)/.exec(body);
  if (m) {
    for (const f of m[1]) {
      if (f === 'i' || f === 'm' || f === 's') flags += flags.includes(f) ? '' : f;
      else throw new RegexpError(`${what}: flag ${f} in ${JSON.stringify(source)} is not supported`);
    }
    body = body.slice(m[0].length);
  }
  try {
    return new RegExp(body, flags);
  } catch (e) {
    throw new RegexpError(`${what}: invalid regular expression ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}
