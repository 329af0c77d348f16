// A server's HTTP connections watched while its clients ramp up, a real leak beside them
// (test/fixtures/idleconn, written by generate-idleconn.sh: pprofserve leaking two goroutines
// every 100 ms while programs/keepalive opens one more keep-alive connection every 80 ms, each
// asking again every 3 ms). A connection ending a response parks its goroutine in
// net/http.(*connReader).abortPendingRead for a moment; those come and go with the requests
// while the goroutines started in net/http.(*conn).serve rise with the clients, so the growth
// rule alone called some runs of snapshots "likely". They are the connections' own waits for
// their clients: counted as open connections, never a row. The leak stays likely. Counts are
// pprof's own (-top cum, focused on conn.serve, the background read and the leak's goroutine).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cmdLeaks } from '../../../src/cli/leaks';
import { analyzeLeaks, censusLines, connectionsLine, leakReport, type LeakRow } from '../../../src/core/analysis/leaks';
import { ROOT } from '../helpers/fixtures';
import { leakInput, snapshotSeries } from '../helpers/leakfixtures';

const DIR = join(ROOT, 'test', 'fixtures', 'idleconn');
const V = 'go1.27';
const { names, profiles, dumpNames, cum } = snapshotSeries(DIR, V);
const served = names.map((_, i) => cum(i, 'net/http.(*conn).serve'));
const ending = names.map((_, i) => cum(i, 'net/http.(*connReader).abortPendingRead'));
const reading = names.map((_, i) => cum(i, 'net/http.(*connReader).Read'));
const background = names.map((_, i) => cum(i, 'net/http.(*connReader).backgroundRead'));
const leaked = names.map((_, i) => cum(i, 'main.leakOne'));

const leak = (rows: LeakRow[]) => rows.find((r) => r.blockedAt.function === 'main.leakOne');
const netHttp = (rows: LeakRow[]) => rows.filter((r) => r.blockedAt.function.startsWith('net/http.'));
const rises = (xs: number[]) => xs[xs.length - 1] > xs[0] && xs.every((n, i) => i === 0 || n >= xs[i - 1]);

describe('leak growth: a server\'s connections as its clients ramp up, a leak beside them (pprofserve + keepalive, Go 1.27)', () => {
  test('the fixture is what the rule must tell apart', () => {
    assert.equal(names.length, 30);
    const run = JSON.parse(readFileSync(join(DIR, V, 'run.json'), 'utf8')) as { clients: { connected: number } };
    // The connections rise with the clients and never close.
    assert.ok(rises(served), String(served));
    assert.ok(served[served.length - 1] > run.clients.connected, `${served} for ${run.clients.connected} clients and the capture's own`);
    // Connections caught ending a response: now none, now some.
    assert.ok(ending.includes(0) && ending.some((n) => n > 0), String(ending));
    assert.ok(leaked.every((n, i) => i === 0 || n >= leaked[i - 1]) && rises(leaked), String(leaked));
  });

  test('each snapshot alone: no row in net/http; its connections waiting for their clients are counted, the leak is pprof\'s count', () => {
    profiles.forEach((p, i) => {
      const { rows, census } = leakReport([p]);
      assert.deepEqual(netHttp(rows).map((r) => `${r.blockedAt.function}: ${r.why}`), [], names[i]);
      assert.equal(leak(rows)!.count, leaked[i], names[i]);
      // Those reading the next request and those ending the last response, at least; at most
      // every goroutine of a connection (less those running a handler or writing).
      const k = census.connections ?? 0;
      assert.ok(k >= reading[i] + ending[i] && k <= served[i] + background[i], `${names[i]}: ${k} connections, pprof: ${reading[i]} reading + ${ending[i]} ending of ${served[i]} + ${background[i]}`);
      // In 027 every connection was assisting the GC in an allocation (readRequest): none waits, no line.
      if (k) assert.ok(censusLines(census).includes(connectionsLine(k, census.openConnections ?? 0)), names[i]);
      else assert.ok(!censusLines(census).some((l) => l.startsWith('Open connections')), names[i]);
    });
  });

  for (const k of [2, 3, 4, 8]) {
    test(`every run of ${k} snapshots: the leak is likely when pprof's count rose, no connection is ever a row`, () => {
      let trap = 0;
      for (let i = 0; i + k <= profiles.length; i++) {
        const rows = analyzeLeaks(profiles.slice(i, i + k));
        const want = leaked.slice(i, i + k);
        const l = leak(rows)!;
        assert.deepEqual(l.growth, want);
        assert.equal(l.confidence, rises(want) ? 'likely' : 'possible', l.why);
        assert.deepEqual(netHttp(rows).map((r) => `${r.blockedAt.function}: ${r.confidence} ${r.why}`), [], names[i]);
        const ends = ending.slice(i, i + k);
        const conns = served.slice(i, i + k);
        // What the rule alone called likely: the parked ones never fell and ended higher, and
        // the goroutines started in conn.serve grew at least as much.
        if (rises(ends) && conns[k - 1] - conns[0] >= ends[k - 1] - ends[0]) trap++;
      }
      if (k <= 4) assert.ok(trap > 0, `no run of ${k} where the parked connections rose without falling: regenerate the fixture under load`);
    });
  }

  test('the dumps of the first rounds: the same, and a dump and a profile of one moment are one step', () => {
    assert.equal(dumpNames.length, 6);
    const dumps = dumpNames.map((f) => leakInput(join(DIR, V, f)));
    for (const [i, d] of dumps.entries()) {
      const { rows, census } = leakReport([d]);
      assert.deepEqual(netHttp(rows), [], dumpNames[i]);
      assert.ok((census.connections ?? 0) > 0, dumpNames[i]);
    }
    const rows = analyzeLeaks([...profiles.slice(0, 6), ...dumps]);
    assert.deepEqual(netHttp(rows), []);
    assert.equal(leak(rows)!.confidence, 'likely');
  });

  test('golens leaks: the table, then the open connections in one line', () => {
    let out = '';
    cmdLeaks(names.slice(0, 4).map((f) => join(DIR, V, f)), (s) => { out += s; });
    assert.match(out, /likely\s+chan send\s+main\.leakOne/);
    assert.doesNotMatch(out, /net\/http\./);
    const { census } = leakReport(profiles.slice(0, 4));
    assert.ok(census.connections! > 0);
    assert.ok(out.endsWith(`\n\n${connectionsLine(census.connections!, census.openConnections ?? 0)}\n`), out);
    assert.match(connectionsLine(census.connections!, census.openConnections ?? 0), /^Open connections: [1-9]\d* HTTP connections wait for their clients .*, \d+ goroutines in all: not leaked while they are open\.$/);
    let js = '';
    cmdLeaks([...names.slice(0, 4).map((f) => join(DIR, V, f)), '--json'], (s) => { js += s; });
    assert.equal((JSON.parse(js) as { seen: { connections: number } }).seen.connections, census.connections);
  });
});
