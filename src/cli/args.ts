// A small, strict argument parser: unknown flags and missing values are usage errors.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  /** Flags that take a value (`--sample cpu` or `--sample=cpu`); repeatable ones collect. */
  values?: string[];
  repeatable?: string[];
  booleans?: string[];
  /** Short aliases, e.g. { n: 'nodecount' }. */
  aliases?: Record<string, string>;
}

export interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
  bools: Set<string>;
}

export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const values = new Set([...(spec.values ?? []), ...(spec.repeatable ?? [])]);
  const bools = new Set(spec.booleans ?? []);
  const out: Parsed = { positional: [], flags: new Map(), bools: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.positional.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { out.positional.push(a); continue; }
    let name = a.replace(/^--?/, '');
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) { value = name.slice(eq + 1); name = name.slice(0, eq); }
    name = spec.aliases?.[name] ?? name;
    if (bools.has(name)) {
      if (value !== undefined) throw new UsageError(`--${name} takes no value`);
      out.bools.add(name);
    } else if (values.has(name)) {
      if (value === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
        value = argv[++i];
      }
      const list = out.flags.get(name) ?? [];
      if (list.length && !(spec.repeatable ?? []).includes(name)) throw new UsageError(`--${name} given twice`);
      list.push(value);
      out.flags.set(name, list);
    } else {
      throw new UsageError(`unknown flag ${a}`);
    }
  }
  return out;
}

export function one(p: Parsed, name: string): string | undefined {
  return p.flags.get(name)?.[0];
}
