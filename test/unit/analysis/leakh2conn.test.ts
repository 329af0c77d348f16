// Open connections beyond HTTP/1 servers, watched while their clients ramp up, a real leak
// beside each (test/fixtures/h2conn and bodyleak, written by generate-h2conn.sh with Go 1.26,
// whose net/http bundles HTTP/2 as net/http.(*http2serverConn), and 1.27, where it is
// net/http/internal/http2.(*serverConn)):
// - h2conn: pprofserve over TLS (HTTP/2) leaking two goroutines every 100 ms while
//   programs/keepalive opens one more HTTP/2 connection every 80 ms, each asking every 3 ms, and
//   three requests hang in pprofserve's /hang/ handler. The connections' serve loops, frame
//   readers and writers and handlers waiting for their frames to be written rose with the
//   clients: the growth rule alone called them likely. They are counted as open connections,
//   never a row; the leak stays likely; the stuck handlers stay a row.
// - bodyleak: an HTTP client whose pool of 24 connections ramps up while a response body is
//   left open every 200 ms. The idle pool's writers (persistConn.writeLoop parked for the next
//   request) rose with the pool and were called likely; now they are the census' pooled
//   connections, and only the writers of connections whose reader waits for an unclosed body
//   stay a row, beside that reader's row, which stays likely as it grows.
// Counts are pprof's own (-top cum of the focused profiles).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cmdLeaks } from '../../../src/cli/leaks';
import { analyzeLeaks, censusLines, connectionLines, leakReport, pooledLine, type LeakRow } from '../../../src/core/analysis/leaks';
import { ROOT } from '../helpers/fixtures';
import { leakInput, snapshotSeries } from '../helpers/leakfixtures';

const VERSIONS = ['go1.26', 'go1.27'];
const rises = (xs: number[]) => xs[xs.length - 1] > xs[0] && xs.every((n, i) => i === 0 || n >= xs[i - 1]);
const sum = (rows: LeakRow[]) => rows.reduce((k, r) => k + r.count, 0);
const at = (rows: LeakRow[], fn: string) => rows.filter((r) => r.blockedAt.function === fn);

describe('leak growth: an HTTP/2 server\'s connections as its clients ramp up (pprofserve over TLS + keepalive)', () => {
  for (const v of VERSIONS) {
    const DIR = join(ROOT, 'test', 'fixtures', 'h2conn');
    if (!existsSync(join(DIR, v))) continue;
    const { names, profiles, dumpNames, cum } = snapshotSeries(DIR, v);
    const h2 = v === 'go1.26' ? 'net/http.(*http2serverConn).' : 'net/http/internal/http2.(*serverConn).';
    const serveLoops = names.map((_, i) => cum(i, `${h2}serve`));
    const served = names.map((_, i) => cum(i, 'net/http.(*conn).serve'));
    const readers = names.map((_, i) => cum(i, `${h2}readFrames`));
    const leaked = names.map((_, i) => cum(i, 'main.leakOne'));
    const hung = names.map((_, i) => cum(i, 'main.main.func3'));
    const handlers = names.map((_, i) => cum(i, `${h2}runHandler`));
    const run = JSON.parse(readFileSync(join(DIR, v, 'run.json'), 'utf8')) as { clients: { connected: number; hangs: number } };
    const leak = (rows: LeakRow[]) => at(rows, 'main.leakOne')[0];
    // Rows in net/http or its HTTP/2 server: none may be one.
    const netHttp = (rows: LeakRow[]) => rows.filter((r) => r.blockedAt.function.startsWith('net/http'));

    test(`${v}: the fixture is what the rule must tell apart`, () => {
      assert.equal(names.length, 30);
      assert.ok(readFileSync(join(DIR, v, 'go-version.txt'), 'utf8').startsWith(`go version ${v}.`));
      // HTTP/2 serve loops (inside conn.serve) and their frame readers rise with the clients.
      assert.ok(serveLoops.every((n, i) => i === 0 || n >= serveLoops[i - 1] - 2) && serveLoops[29] > serveLoops[0] + 10, String(serveLoops));
      assert.ok(serveLoops[29] >= run.clients.connected + run.clients.hangs - 2, `${serveLoops} for ${run.clients.connected} clients and ${run.clients.hangs} hangs`);
      assert.ok(readers.every((n) => n > 0), String(readers));
      assert.ok(rises(leaked), String(leaked));
      // The hanging requests arrive in the first snapshots, then stay.
      assert.ok(hung[29] === run.clients.hangs && hung.every((n, i) => n <= run.clients.hangs && (i === 0 || n >= hung[i - 1])), String(hung));
      // What the rule alone called likely: the serve loops grew without falling across runs of snapshots.
      let trap = 0;
      for (let i = 0; i + 3 <= names.length; i++) if (rises(serveLoops.slice(i, i + 3))) trap++;
      assert.ok(trap > 0, String(serveLoops));
    });

    test(`${v}: each snapshot alone: no row in net/http; the connections counted, one per serve loop; the stuck handlers a row`, () => {
      profiles.forEach((p, i) => {
        const { rows, census } = leakReport([p]);
        assert.deepEqual(netHttp(rows).map((r) => `${r.blockedAt.function}: ${r.why}`), [], names[i]);
        assert.equal(leak(rows).count, leaked[i], names[i]);
        // The handlers stuck in /hang/ wait in the program's code, over HTTP/2 as over HTTP/1.
        assert.equal(sum(at(rows, 'main.main.func3')), hung[i], names[i]);
        // Every HTTP/2 serve loop is an open connection (parked between frames or at work), so are
        // HTTP/1's that wait; never more than the goroutines started in conn.serve less the hung ones.
        const open = census.openConnections ?? 0;
        assert.ok(open >= serveLoops[i] - hung[i] && open <= served[i], `${names[i]}: ${open} open, pprof: ${serveLoops[i]} serve loops of ${served[i]}`);
        assert.ok((census.connections ?? 0) >= open + readers[i] - 2 * hung[i], `${names[i]}: ${census.connections} goroutines, ${readers[i]} frame readers`);
        assert.deepEqual(connectionLines(census), censusLines(census).filter((l) => l.startsWith('Open connections')), names[i]);
        assert.match(connectionLines(census)[0], new RegExp(`^Open connections: ${open} HTTP connections? waits? for (its|their) clients? .*, ${census.connections} goroutines? in all: not leaked while (it is|they are) open\\.$`));
      });
    });

    for (const k of [2, 3, 4, 8]) {
      test(`${v}: every run of ${k} snapshots: the leak is likely when pprof's count rose, no connection is a row, the hung handlers likely only as they arrived`, () => {
        for (let i = 0; i + k <= profiles.length; i++) {
          const rows = analyzeLeaks(profiles.slice(i, i + k));
          const want = leaked.slice(i, i + k);
          assert.deepEqual(leak(rows).growth, want);
          assert.equal(leak(rows).confidence, rises(want) ? 'likely' : 'possible', leak(rows).why);
          assert.deepEqual(netHttp(rows).map((r) => `${r.blockedAt.function}: ${r.confidence} ${r.why}`), [], names[i]);
          // Stuck handlers are the program's: a row, likely when more got stuck (as the hanging requests
          // came) and pprof's handler goroutines grew at least as much (else the growth rule reads them
          // as handlers taking turns: every request's handler has the same start function).
          const h = at(rows, 'main.main.func3');
          const hw = hung.slice(i, i + k);
          assert.equal(h.length, 1, names[i]);
          assert.equal(h[0].confidence, rises(hw) && handlers[i + k - 1] - handlers[i] >= hw[k - 1] - hw[0] ? 'likely' : 'possible', h[0].why);
        }
      });
    }

    test(`${v}: the dumps of the first rounds: the same`, () => {
      assert.equal(dumpNames.length, 6);
      const dumps = dumpNames.map((f) => leakInput(join(DIR, v, f)));
      for (const [i, d] of dumps.entries()) {
        const { rows, census } = leakReport([d]);
        assert.deepEqual(netHttp(rows).map((r) => r.blockedAt.function), [], dumpNames[i]);
        assert.ok((census.openConnections ?? 0) >= serveLoops[i] - hung[i] - 2, `${dumpNames[i]}: ${census.openConnections}`);
        assert.equal(sum(at(rows, 'main.main.func3')), run.clients.hangs, dumpNames[i]);
      }
      const rows = analyzeLeaks([...profiles.slice(0, 6), ...dumps]);
      assert.deepEqual(netHttp(rows), []);
      assert.equal(leak(rows).confidence, 'likely');
    });
  }
});

describe('leak growth: an HTTP client\'s pool ramping up beside a response body never closed (programs/bodyleak)', () => {
  for (const v of VERSIONS) {
    const DIR = join(ROOT, 'test', 'fixtures', 'bodyleak');
    if (!existsSync(join(DIR, v))) continue;
    const { names, profiles, dumpNames, cum } = snapshotSeries(DIR, v);
    const writers = names.map((_, i) => cum(i, 'net/http.(*persistConn).writeLoop'));
    const readers = names.map((_, i) => cum(i, 'net/http.(*persistConn).readLoop'));
    // Readers waiting on the network (bufio.(*Reader).Peek: the next response): the idle and busy pool.
    const onNetwork = names.map((_, i) => cum(i, 'bufio.(*Reader).Peek'));
    const run = JSON.parse(readFileSync(join(DIR, v, 'run.json'), 'utf8')) as { args: string[] };
    const pool = Number(run.args[run.args.indexOf('-max') + 1]);
    const reader = (rows: LeakRow[]) => at(rows, 'net/http.(*persistConn).readLoop');
    const writer = (rows: LeakRow[]) => at(rows, 'net/http.(*persistConn).writeLoop');

    test(`${v}: the fixture is what the rule must tell apart`, () => {
      assert.equal(names.length, 30);
      assert.ok(readFileSync(join(DIR, v, 'go-version.txt'), 'utf8').startsWith(`go version ${v}.`));
      // Every connection has its writer and reader; the pool fills, the unclosed bodies pile up.
      assert.ok(rises(writers) || writers[29] > writers[0], String(writers));
      // (The pool, and now and then the leaking client's request waiting for its response.)
      assert.ok(onNetwork.every((n) => n <= pool + 1) && onNetwork[29] >= pool - 2, String(onNetwork));
      assert.ok(rises(readers.map((n, i) => n - onNetwork[i])) || readers[29] - onNetwork[29] > readers[0] - onNetwork[0] + 10, String(readers));
      // What the rule alone called likely: all parked writers, rising with the pool where the unclosed bodies did not.
      let trap = 0;
      for (let i = 0; i + 2 <= names.length; i++) {
        const rest = readers.slice(i, i + 2).map((n, j) => n - onNetwork[i + j]);
        if (rises(writers.slice(i, i + 2)) && !rises(rest)) trap++;
      }
      assert.ok(trap > 0, `${writers} / ${readers} / ${onNetwork}`);
    });

    test(`${v}: each snapshot alone: the idle pool is counted, the unclosed bodies' readers and their writers are rows`, () => {
      let same = 0;
      profiles.forEach((p, i) => {
        const { rows, census } = leakReport([p]);
        const pooled = census.pooledConnections ?? 0;
        // At most the readers not parked (on the network, or at work), at least about those in Peek (waiting for a response).
        assert.ok(pooled <= readers[i] - sum(reader(rows)) && pooled >= onNetwork[i] - 2, `${names[i]}: ${pooled} pooled, ${onNetwork[i]} readers in Peek`);
        assert.ok(sum(writer(rows)) + pooled <= writers[i], names[i]);
        assert.ok(sum(reader(rows)) >= readers[i] - onNetwork[i] - 2 && sum(reader(rows)) > 0, names[i]);
        if (sum(writer(rows)) === sum(reader(rows))) same++;
        assert.ok(censusLines(census).includes(pooledLine(pooled)), names[i]);
      });
      // The writers kept as rows are the unclosed bodies' own (one each), but for a moment's race.
      assert.ok(same >= 28, `${same} of 30`);
    });

    for (const k of [2, 3, 4, 8]) {
      test(`${v}: every run of ${k} snapshots: the unclosed bodies likely as they grow, the writers never likely without them`, () => {
        let likely = 0;
        for (let i = 0; i + k <= profiles.length; i++) {
          const rows = analyzeLeaks(profiles.slice(i, i + k));
          const r = reader(rows);
          assert.equal(r.length, 1, names[i]);
          assert.equal(r[0].pattern, 'body-not-closed', names[i]);
          for (const w of writer(rows)) assert.equal(w.pattern, 'body-not-closed', names[i]);
          // Likely when the readers parked on a body grew without falling and pprof's readLoop
          // goroutines grew at least as much (new connections, not a pooled one caught mid-read).
          const g = r[0].growth!;
          const grew = rises(g) && readers[i + k - 1] - readers[i] >= g[k - 1] - g[0];
          assert.equal(r[0].confidence, grew ? 'likely' : 'possible', `${names[i]}: ${r[0].why}`);
          if (r[0].confidence === 'likely') likely++;
          for (const w of writer(rows)) if (w.confidence === 'likely') assert.equal(r[0].confidence, 'likely', `${names[i]}: ${w.why}`);
        }
        assert.ok(likely >= (profiles.length - k + 1) / 3, `${likely} likely`);
      });
    }

    test(`${v}: the dumps of the first rounds: the same; golens leaks prints the pool's line`, () => {
      const dumps = dumpNames.map((f) => leakInput(join(DIR, v, f)));
      for (const [i, d] of dumps.entries()) {
        const { rows, census } = leakReport([d]);
        assert.ok((census.pooledConnections ?? 0) > 0 && sum(reader(rows)) > 0, dumpNames[i]);
        assert.ok(sum(writer(rows)) <= sum(reader(rows)) + 1, dumpNames[i]);
      }
      let out = '';
      cmdLeaks(names.slice(0, 4).map((f) => join(DIR, v, f)), (s) => { out += s; });
      const { census } = leakReport(profiles.slice(0, 4));
      // The pool rose from the first snapshot's: the line says so (a pool that keeps rising is a
      // client or transport made per request).
      const first = leakReport([profiles[0]]).census.pooledConnections ?? 0;
      assert.ok(census.pooledConnections! > first, `${first} -> ${census.pooledConnections}`);
      assert.equal(census.pooledFirst, first);
      assert.match(out, new RegExp(`It rose from ${first} in the first snapshot: if it keeps rising, look for an http\\.Client or http\\.Transport made per request`));
      assert.match(out, /likely\s+select\s+net\/http\.\(\*persistConn\)\.readLoop \S+\s+-\s+-\s+body-not-closed\n/);
      // The fix named is the body's Close, not a context (the select's usual advice).
      assert.match(out, /\nbody-not-closed: An HTTP response whose body is never closed .*defer resp\.Body\.Close\(\)/);
      assert.ok(out.endsWith(`\n\n${connectionLines(census).join('\n')}\n`), out);
      let js = '';
      cmdLeaks([...names.slice(0, 4).map((f) => join(DIR, v, f)), '--json'], (s) => { js += s; });
      assert.equal((JSON.parse(js) as { seen: { pooledConnections: number } }).seen.pooledConnections, census.pooledConnections);
    });
  }
});

describe('an HTTP/2 server\'s handlers stuck in an HTTP/2 client call (programs/h2upstream)', () => {
  // A front server (HTTP/2 over TLS) whose handler asks an upstream (HTTP/2 too) that never
  // answers: each hung request is the front's handler parked in HTTP/2's client code, the
  // program's own call. It is a row, beside the request's own caller (main's goroutine, parked
  // in the same client code) and the upstream's handler (parked in the program's code).
  for (const v of ['go1.23', 'go1.26', 'go1.27']) {
    const dir = join(ROOT, 'test', 'fixtures', 'h2upstream', v);
    if (!existsSync(dir)) continue;
    const { hangs } = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { hangs: number };
    const roundTrip = /^net\/http(?:\/internal\/http2\.\(\*ClientConn\)|\.\(\*http2ClientConn\))\.roundTrip$/;

    test(`${v}: the dump: the front's handlers are a row, created by the HTTP/2 server, not open connections`, () => {
      const { rows, census } = leakReport([leakInput(join(dir, 'goroutine.txt'))]);
      const handlers = rows.filter((r) => roundTrip.test(r.blockedAt.function) && /scheduleHandler$/.test(r.createdAt?.function ?? ''));
      assert.equal(sum(handlers), hangs, rows.map((r) => `${r.count} ${r.blockedAt.function} <- ${r.createdAt?.function}`).join('\n'));
      const callers = rows.filter((r) => roundTrip.test(r.blockedAt.function) && r.createdAt?.function === 'main.main');
      assert.equal(sum(callers), hangs);
      assert.equal(sum(at(rows, 'main.main.func1')), hangs, 'the upstream\'s handlers');
      // The front's and the upstream's connections (one each: each client reuses its connection).
      assert.equal(census.openConnections, 2);
    });

    test(`${v}: the profile: the same goroutines in the client's call, handlers and callers together`, () => {
      const { rows } = leakReport([leakInput(join(dir, 'goroutine.pprof'))]);
      assert.equal(sum(rows.filter((r) => roundTrip.test(r.blockedAt.function))), 2 * hangs);
      assert.equal(sum(at(rows, 'main.main.func1')), hangs);
    });
  }
});
