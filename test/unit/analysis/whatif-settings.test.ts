// The what-if settings read as the Go runtime reads GOGC, GOMEMLIMIT and GOMAXPROCS, checked
// against what real runtimes read (test/fixtures/whatifcli/go1.NN/settings.json, written by
// generate-whatifcli.sh running programs/goenv with each value): what Go takes, GoLens takes
// with the same meaning; what Go ignores or refuses to start with, GoLens refuses with a
// reason — except the few spellings GoLens forgives on purpose, listed here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_PROCS, memLimitText, parseGogc, parseMemLimit, parseProcs, type Parsed } from '../../../src/core/analysis/whatif-settings';
import { ROOT } from '../helpers/fixtures';

interface GoRead { env: 'GOGC' | 'GOMEMLIMIT' | 'GOMAXPROCS'; value: string; ok: boolean; gcPercent?: string; memoryLimit?: string; gomaxprocs?: string }

const DIR = join(ROOT, 'test', 'fixtures', 'whatifcli');
const TOOLCHAINS = readdirSync(DIR).filter((d) => /^go1\.\d+$/.test(d));
const MAX_INT64 = ((1n << 63n) - 1n).toString();

/** What GoLens reads that Go does not (Go: 100, the CPU count, or no start), and what GoLens makes of it. */
const FORGIVEN: Record<string, Record<string, unknown>> = {
  GOGC: { 'OFF': 'off', ' 200': 200 },
  GOMEMLIMIT: { 'none': null, '1.5GiB': 1.5 * 2 ** 30, '64MB': 64e6, '1kB': 1000, '512mib': 512 * 2 ** 20, '512 MiB': 512 * 2 ** 20 },
  GOMAXPROCS: {},
};

const parse: Record<GoRead['env'], (s: string) => Parsed<unknown>> = { GOGC: parseGogc, GOMEMLIMIT: parseMemLimit, GOMAXPROCS: parseProcs };

test('there are runtime readings for at least two toolchains, for every setting', () => {
  assert.ok(TOOLCHAINS.length >= 2, TOOLCHAINS.join());
  for (const tc of TOOLCHAINS) {
    const rows = JSON.parse(readFileSync(join(DIR, tc, 'settings.json'), 'utf8')) as GoRead[];
    for (const env of ['GOGC', 'GOMEMLIMIT', 'GOMAXPROCS']) assert.ok(rows.filter((r) => r.env === env).length >= 10, `${tc} ${env}`);
  }
});

for (const tc of TOOLCHAINS) {
  test(`${tc}: what the runtime takes GoLens takes, with the same value; what it ignores or refuses, GoLens refuses`, () => {
    const rows = JSON.parse(readFileSync(join(DIR, tc, 'settings.json'), 'utf8')) as GoRead[];
    const defaultProcs = rows.find((r) => r.env === 'GOMAXPROCS' && r.value === '')!.gomaxprocs;
    let took = 0, refused = 0;
    for (const r of rows) {
      const what = `${tc} ${r.env}=${JSON.stringify(r.value)}`;
      const got = parse[r.env](r.value);
      // Go ≤ 1.2x's own atoi took no leading '+'; GoLens reads as today's runtime (strconv) does.
      if (r.value.startsWith('+') && r.env === 'GOGC' && r.gcPercent === '100') { assert.ok(got.ok, what); continue; }
      if (r.value.startsWith('+') && r.env === 'GOMAXPROCS' && r.gomaxprocs === defaultProcs) { assert.ok(got.ok, what); continue; }
      if (r.value.startsWith('+') && r.env === 'GOMEMLIMIT' && !r.ok) { assert.ok(got.ok, what); continue; }
      if (r.value in FORGIVEN[r.env]) {
        assert.deepEqual(got, { ok: true, value: FORGIVEN[r.env][r.value] }, what);
        continue;
      }
      let goValue: unknown;
      if (r.env === 'GOGC') goValue = r.gcPercent === '100' ? undefined : r.gcPercent === '-1' ? 'off' : Number(r.gcPercent);
      else if (r.env === 'GOMEMLIMIT') goValue = !r.ok ? undefined : r.memoryLimit === MAX_INT64 ? null : Number(BigInt(r.memoryLimit!));
      else goValue = r.gomaxprocs === defaultProcs ? undefined : Number(r.gomaxprocs);
      assert.ok(r.env !== 'GOMEMLIMIT' || r.ok || r.value !== '', what);
      if (goValue === undefined) {
        assert.equal(got.ok, false, `${what}: Go ignored or refused it, GoLens read ${JSON.stringify(got)}`);
        if (!got.ok) assert.match(got.error, new RegExp(`^(GOGC|The memory limit|GOMAXPROCS) is .*: .*(Go would|overflows)`), what);
        refused++;
      } else if (r.env === 'GOMAXPROCS' && (goValue as number) > MAX_PROCS) {
        assert.equal(got.ok, false, what);
        if (!got.ok) assert.match(got.note, /GoLens does not model more procs/);
      } else {
        assert.deepEqual(got, { ok: true, value: goValue }, what);
        took++;
      }
    }
    assert.ok(took >= 20 && refused >= 12, `${took} taken, ${refused} refused`);
  });
}

test('a limit GoLens prints parses back to itself, in Go\'s units', () => {
  for (const b of [0, 1, 1023, 1024, 512 * 2 ** 20, 3 * 2 ** 30, 2 ** 40, 123456789]) {
    const t = memLimitText(b);
    assert.match(t, /^\d+(KiB|MiB|GiB|TiB)?$/, t);
    assert.deepEqual(parseMemLimit(t), { ok: true, value: b }, t);
  }
  assert.equal(memLimitText(512 * 2 ** 20), '512MiB');
});
