// Every fixture profile, from every Go toolchain, peeks exactly as `go tool pprof -peek`
// printed it (test/fixtures/peek, written by generate-peek.sh): the same matching nodes in the
// same order, the same callers and callees with the same weights, percents, names and inline
// marks — in pprof's own units and in the exact raw unit.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cmdPeek, peekTable } from '../../../src/cli/peek';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { sampleIndex, type Profile } from '../../../src/core/pprof/model';
import { peek } from '../../../src/core/pprof/peek';
import { compileGoRegexp } from '../../../src/core/pprof/regexp';
import { stacks, type Filters } from '../../../src/core/pprof/stacks';
import type { Granularity } from '../../../src/core/pprof/top';
import { fixture, PPROF_DIR, ROOT, toolchainDirs } from '../helpers/fixtures';

const PEEK_DIR = join(ROOT, 'test', 'fixtures', 'peek');

/** A case pprof answered with a table (file, raw) or, when nothing matched, with an error. */
interface PeekCase { file?: string; raw?: string; error?: string; profile: string; sampleType: string; unit: string; regexp: string; args: string[] }

function optionsOf(args: string[]): { filters: Filters; granularity: Granularity } {
  const filters: Filters = {};
  let granularity: Granularity = 'functions';
  for (const a of args) {
    const [flag, ...rest] = a.split('=');
    const value = rest.join('=');
    switch (flag) {
      case '-lines': granularity = 'lines'; break;
      case '-focus': filters.focus = value; break;
      case '-ignore': filters.ignore = value; break;
      case '-hide': filters.hide = value; break;
      case '-show': filters.show = value; break;
      case '-tagfocus': (filters.tagFocus ??= []).push(value); break;
      case '-tagignore': (filters.tagIgnore ??= []).push(value); break;
      default: throw new Error(`peek case uses ${a}, which this test does not translate`);
    }
  }
  return { filters, granularity };
}

/** pprof's output from its "Showing nodes" line on: the table GoLens must print the same. */
function table(dir: string, file: string): string {
  const text = readFileSync(join(PEEK_DIR, dir, file), 'utf8');
  const at = text.indexOf('Showing nodes accounting for');
  assert.ok(at >= 0, `${dir}/${file}: no "Showing nodes" line`);
  return text.slice(at);
}

const dirs = toolchainDirs();
test('peek references exist for every profile and sample type of every toolchain', () => {
  for (const dir of dirs) {
    const cases = JSON.parse(readFileSync(join(PEEK_DIR, dir, 'manifest.json'), 'utf8')) as PeekCase[];
    const have = new Set(cases.map((c) => `${c.profile} ${c.sampleType}`));
    for (const f of readdirPprof(dir)) {
      for (const st of decodeProfile(fixture(dir, f)).sampleTypes) assert.ok(have.has(`${f} ${st.type}`), `${dir}/${f} ${st.type} has no peek reference`);
    }
  }
});

function readdirPprof(dir: string): string[] {
  return readdirSync(join(PPROF_DIR, dir)).filter((f) => f.endsWith('.pprof'));
}

for (const dir of dirs) {
  describe(`${dir}: golens peek = go tool pprof -peek`, () => {
    const cases = JSON.parse(readFileSync(join(PEEK_DIR, dir, 'manifest.json'), 'utf8')) as PeekCase[];
    const cache = new Map<string, Profile>();
    const load = (name: string) => {
      let p = cache.get(name);
      if (!p) { p = decodeProfile(fixture(dir, name)); cache.set(name, p); }
      return p;
    };
    for (const c of cases) {
      test(`${c.file ?? `${c.profile} ${c.sampleType}: ${c.error}`} (${c.regexp})`, () => {
        const { filters, granularity } = optionsOf(c.args);
        const p = load(c.profile);
        const si = sampleIndex(p, c.sampleType);
        const res = peek(stacks(p, si, filters), compileGoRegexp(c.regexp, 'peek'), granularity);
        if (c.error !== undefined) {
          assert.match(c.error, /no matches found/);
          assert.deepEqual(res.entries, [], 'pprof matched nothing, nor may GoLens');
          return;
        }
        assert.ok(res.entries.length > 0, 'pprof matched, so must GoLens');
        const unit = p.sampleTypes[si].unit;
        assert.equal(peekTable(res, unit, []), table(dir, c.file!), 'in pprof units');
        assert.equal(peekTable(res, unit, [], c.unit), table(dir, c.raw!), 'in the raw unit');
      });
    }
  });
}

test('golens peek --json gives the same callers and callees as the table; no match is a usage error', () => {
  const file = join(PPROF_DIR, 'go1.27', 'cpu.pprof');
  let out = '';
  cmdPeek([file, 'main\\.hashBlock$', '--json'], (s) => { out += s; });
  const j = JSON.parse(out) as { total: number; functions: { function: string; flat: number; cum: number; callers: { name: string; value: number }[]; callees: { name: string; value: number; inline?: boolean }[] }[] };
  const p = decodeProfile(fixture('go1.27', 'cpu.pprof'));
  const res = peek(stacks(p, sampleIndex(p, 'cpu')), /main\.hashBlock$/);
  assert.equal(j.functions.length, 1);
  assert.equal(j.functions[0].function, 'main.hashBlock');
  assert.equal(j.total, res.total);
  assert.deepEqual(j.functions[0].callers, res.entries[0].callers.map((e) => ({ name: e.name, value: e.value, ...(e.inline ? { inline: true } : {}) })));
  assert.deepEqual(j.functions[0].callees.map((e) => e.name), res.entries[0].callees.map((e) => e.name));
  // The raw table says the same numbers: cum 340000000ns, of which main.mix 280000000ns.
  const raw = table('go1.27', 'cpu.cpu.one.raw.peek.txt');
  for (const e of j.functions[0].callees) assert.ok(raw.includes(`${e.value}ns`), `${e.name} ${e.value}`);
  assert.ok(raw.includes(`${j.functions[0].cum}ns`));
  assert.throws(() => cmdPeek([file, 'no_such_function_anywhere'], () => undefined), /no function matches "no_such_function_anywhere"/);
});
