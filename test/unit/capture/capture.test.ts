// `golens capture` against a real Go service (pprofserve) serving net/http/pprof: every kind
// decodes with the sample types Go's own pprof reads in it, the numbers agree with pprof's
// -top, and every way a capture fails is one line, exit 2 and no file left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cmdCapture, type CaptureIo } from '../../../src/cli/capture';
import { profileFromFile } from '../../../src/core/artifacts/profiles';
import { traceSummaryFrom } from '../../../src/core/artifacts/summary';
import { CaptureError, captureTimeoutMs, captureToFile } from '../../../src/core/capture/capture';
import { CAPTURE_KINDS, captureTarget, type CaptureKind } from '../../../src/core/capture/endpoints';
import { sampleIndex, type Profile } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { ROOT, readPprofTop } from '../helpers/fixtures';
import { golensProcess } from '../helpers/golensproc';
import { goOf, startPprofServer, type PprofServer } from '../helpers/pprofserve';

const GO = goOf('1.27');
const skip = GO ? false : 'Go 1.27 is not installed (scripts/install-go.sh 1.27)';
const tmp = mkdtempSync(join(tmpdir(), 'golens-capture-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs cmdCapture in process in a fresh folder; what it printed and where. */
async function run(args: string[], extra: Partial<CaptureIo> = {}) {
  const cwd = mkdtempSync(join(tmp, 'run-'));
  let out = '';
  let err = '';
  const t0 = Date.now();
  const code = await cmdCapture(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, cwd, ...extra });
  return { code, out, err, cwd, ms: Date.now() - t0 };
}

/** Every file under a folder (a failed capture must leave none, not even a temporary one). */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile());
}

/** Go's own pprof on a file: `-raw`'s sample types, or `-top` parsed as the fixtures' references are. */
function pprof(args: string[], file: string): string {
  const r = spawnSync(GO!, ['tool', 'pprof', '-symbolize=none', ...args, file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`go tool pprof ${args.join(' ')} ${file}: ${r.stderr}`);
  return r.stdout;
}
function pprofSampleTypes(file: string): string[] {
  const lines = pprof(['-raw'], file).split('\n');
  return lines[lines.indexOf('Samples:') + 1].trim().split(/\s+/).map((t) => t.replace(/\[dflt\]$/, ''));
}
function pprofTop(file: string, sample: string, unit: string) {
  const dir = mkdtempSync(join(tmp, 'top-'));
  writeFileSync(join(dir, 'top.txt'), pprof(['-top', '-nodefraction=0', '-nodecount=1000000', `-unit=${unit}`, `-sample_index=${sample}`], file));
  return readPprofTop('.', 'top.txt', dir);
}
function ourRow(p: Profile, sample: string, fn: string) {
  return top(stacks(p, sampleIndex(p, sample), {}), 'functions').rows.find((r) => r.function === fn);
}

// The sample types each kind has (runtime/pprof's writers; pprof -raw must agree on every file).
const SAMPLE_TYPES: Record<Exclude<CaptureKind, 'trace'>, string[]> = {
  cpu: ['samples/count', 'cpu/nanoseconds'],
  heap: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
  allocs: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
  goroutine: ['goroutine/count'],
  mutex: ['contentions/count', 'delay/nanoseconds'],
  block: ['contentions/count', 'delay/nanoseconds'],
  threadcreate: ['threadcreate/count'],
  goroutineleak: ['goroutineleak/count'],
};

describe('capture from pprofserve (Go 1.27)', { skip }, () => {
  let server: PprofServer;
  const files = new Map<CaptureKind, string>();
  before(async () => {
    server = await startPprofServer();
    // Let the leak grow and the CPU loop run before the snapshots.
    await new Promise((r) => setTimeout(r, 300));
  });
  after(async () => { await server?.stop(); });

  test('every kind is saved under .golens/captures/<host_port>/ and --json says exactly where, what and how much', async () => {
    for (const kind of CAPTURE_KINDS) {
      const timed = kind === 'cpu' || kind === 'trace';
      const r = await run([server.url, '--kind', kind, ...(timed ? ['--seconds', '1'] : []), '--json']);
      assert.equal(r.code, 0, `${kind}: ${r.err}`);
      const j = JSON.parse(r.out) as Record<string, unknown>;
      assert.deepEqual(Object.keys(j), ['file', 'kind', 'url', 'bytes'], kind);
      const file = j.file as string;
      const port = new URL(server.url).port;
      assert.match(relative(r.cwd, file), new RegExp(`^\\.golens/captures/127\\.0\\.0\\.1_${port}/\\d{8}T\\d{6}Z-${kind}\\.${kind === 'trace' ? 'trace' : 'pprof'}$`), kind);
      assert.equal(j.kind, kind);
      assert.equal(j.bytes, statSync(file).size, kind);
      assert.ok((j.bytes as number) > 0, kind);
      assert.equal(j.url, captureTarget(server.url, kind, timed ? 1 : undefined).url);
      assert.deepEqual(filesIn(r.cwd), [relative(r.cwd, file)], `${kind}: one file, nothing else`);
      files.set(kind, file);
    }
  });

  test('each profile decodes with the sample types its kind has, as Go\'s pprof reads them', () => {
    for (const [kind, types] of Object.entries(SAMPLE_TYPES)) {
      const file = files.get(kind as CaptureKind);
      assert.ok(file, `${kind} was captured`);
      const p = profileFromFile(file);
      const ours = p.sampleTypes.map((t) => `${t.type}/${t.unit}`);
      assert.deepEqual(ours, types, kind);
      // Go's pprof on one file per writer shape (each run takes seconds on a busy machine).
      if (['cpu', 'heap', 'goroutine', 'mutex'].includes(kind)) assert.deepEqual(ours, pprofSampleTypes(file), `${kind} against pprof -raw`);
    }
  });

  test('the CPU profile has samples in main.hashLoop, as many as pprof counts', () => {
    const file = files.get('cpu')!;
    const ours = ourRow(profileFromFile(file), 'cpu', 'main.hashLoop');
    assert.ok(ours && ours.cum > 0, 'main.hashLoop is on the sampled stacks');
    const ref = pprofTop(file, 'cpu', 'ns').rows.find((r) => r.name === 'main.hashLoop');
    assert.equal(ours.flat, ref?.flat);
    assert.equal(ours.cum, ref?.cum);
  });

  test('the goroutine and goroutineleak profiles count the goroutines parked in main.leakOne, as pprof does', () => {
    for (const kind of ['goroutine', 'goroutineleak'] as const) {
      const file = files.get(kind)!;
      const ours = ourRow(profileFromFile(file), kind, 'main.leakOne');
      assert.ok(ours && ours.cum > 0, `${kind}: main.leakOne counted`);
      assert.equal(ours.cum, pprofTop(file, kind, 'count').rows.find((r) => r.name === 'main.leakOne')?.cum, kind);
    }
  });

  test('the trace opens as Go 1.27 writes traces (the header of the committed Go 1.27 fixtures) and replays', () => {
    const s = traceSummaryFrom(files.get('trace')!);
    const fixture = traceSummaryFrom(join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-leak.trace'));
    assert.equal(s.format, fixture.format);
    assert.ok(s.events > 0 && s.goroutinesCreated > 0 && s.durationNs > 0.5e9, JSON.stringify(s));
  });

  test('-o names the file; the text line says what was saved', async () => {
    const r = await run([`${server.url}/debug/pprof/`, '--kind', 'heap', '-o', 'heap-now.pprof']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(filesIn(r.cwd), ['heap-now.pprof']);
    assert.match(r.out, /^heap-now\.pprof: heap, \d+ bytes from http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap\n$/);
  });

  test('timed captures report progress: sparse lines when stderr is not a terminal, one rewritten line when it is', async () => {
    const plain = await run([server.url, '--kind', 'cpu', '--seconds', '2']);
    assert.equal(plain.code, 0, plain.err);
    assert.deepEqual(plain.err.split('\n').filter(Boolean), [`capturing cpu from ${new URL(server.url).host}: recording 0/2 s`]);
    const tty = await run([server.url, '--kind', 'trace', '--seconds', '2'], { tty: true });
    assert.equal(tty.code, 0, tty.err);
    assert.ok(!tty.err.includes('\n'), 'no new lines on a terminal');
    assert.match(tty.err, /\rcapturing trace from [^:]+:\d+: recording 1\/2 s/);
    assert.ok(tty.err.endsWith('\r\x1b[K'), 'the progress line is cleared at the end');
  });

  const fails: [string, (u: string) => string[], RegExp][] = [
    ['an HTTP error status', (u) => [`${u}/status/503/`, '--kind', 'heap'], /^golens: 127\.0\.0\.1:\d+ answered 503 Service Unavailable for \/status\/503\/debug\/pprof\/heap: status 503 from pprofserve\n$/],
    ['an HTML page', (u) => [`${u}/html/`, '--kind', 'goroutine'], /^golens: 127\.0\.0\.1:\d+ answered with an HTML page, not a profile \(a login or proxy page\?\)\n$/],
    ['a 200 with text that is not a profile', (u) => [`${u}/status/200/`, '--kind', 'mutex'], /^golens: 127\.0\.0\.1:\d+ answered with text starting with a word \(\d+ bytes\), not a mutex profile\n$/],
    ['-o into a missing folder', (u) => [u, '--kind', 'heap', '-o', join('no', 'such', 'heap.pprof')], /^golens: cannot write \S+\/no\/such\/heap\.pprof: its folder does not exist\n$/],
  ];
  for (const [what, args, message] of fails) {
    test(`${what}: exit 2, one line, no file`, async () => {
      const r = await run(args(server.url));
      assert.equal(r.code, 2);
      assert.match(r.err, message);
      assert.equal(r.out, '');
      assert.deepEqual(filesIn(r.cwd), []);
    });
  }

  test('a server that never answers: exit 2 within the --timeout, no file', async () => {
    const r = await run([`${server.url}/hang/`, '--kind', 'heap', '--timeout', '1']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^golens: 127\.0\.0\.1:\d+ did not answer within 1 s\n$/);
    assert.ok(r.ms >= 900 && r.ms < 3000, `${r.ms} ms`);
    assert.deepEqual(filesIn(r.cwd), []);
  });

  test('cancelling a capture mid-recording rejects at once as cancelled and leaves no file', async () => {
    const dir = mkdtempSync(join(tmp, 'cancel-'));
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(captureToFile(captureTarget(server.url, 'cpu', 5), join(dir, '.golens', 'x.pprof'), { createFolders: true, signal: ac.signal }),
      (e: unknown) => e instanceof CaptureError && e.kind === 'cancelled');
    assert.ok(Date.now() - t0 < 2000);
    assert.deepEqual(filesIn(dir), []);
  });

  test('as a real process: exit 0 with the JSON line, exit 2 with one line', () => {
    const out = join(mkdtempSync(join(tmp, 'proc-')), 'h.pprof');
    const ok = golensProcess('capture', server.url, '--kind', 'heap', '-o', out, '--json');
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { file: out, kind: 'heap', url: `${server.url}/debug/pprof/heap`, bytes: readFileSync(out).length });
    const html = golensProcess('capture', `${server.url}/html/`, '--kind', 'heap', '-o', out + '.2');
    assert.equal(html.code, 2);
    assert.equal(html.stderr.split('\n').filter(Boolean).length, 1, html.stderr);
    assert.match(html.stderr, /HTML page/);
  });
});

test('a closed port: exit 2 with one line saying it cannot be reached, at once', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
  const r = await run([`127.0.0.1:${port}`, '--kind', 'goroutine']);
  assert.equal(r.code, 2);
  assert.equal(r.err, `golens: cannot reach 127.0.0.1:${port}: connection refused (is the program running and serving net/http/pprof there?)\n`);
  assert.ok(r.ms < 2000);
  assert.deepEqual(filesIn(r.cwd), []);
  const p = golensProcess('capture', `http://127.0.0.1:${port}/debug/pprof/heap`, '-o', join(r.cwd, 'x.pprof'));
  assert.equal(p.code, 2);
  assert.match(p.stderr, /^golens: cannot reach 127\.0\.0\.1:\d+: connection refused/);
  assert.deepEqual(filesIn(r.cwd), []);
});

test('usage errors are one line and exit 2; the default timeout is 30 s plus the recording', async () => {
  assert.equal(captureTimeoutMs(captureTarget('localhost:6060', 'cpu')), 60_000);
  assert.equal(captureTimeoutMs(captureTarget('localhost:6060', 'trace', 5)), 35_000);
  assert.equal(captureTimeoutMs(captureTarget('localhost:6060', 'heap')), 30_000);
  for (const [args, re] of [
    [['localhost:6060', '--kind', 'cpuu'], /--kind must be one of cpu\|heap/],
    [['localhost:6060'], /which profile\?/],
    [['localhost:6060', '--kind', 'cpu', '--seconds', '0'], /--seconds needs a positive number/],
    [['localhost:6060', '--kind', 'heap', '--timeout', 'x'], /--timeout needs a positive number/],
    [[], /capture needs one address/],
  ] as [string[], RegExp][]) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, re);
    assert.equal(r.err.split('\n').length, 2);
  }
});

describe('capture from older Go', () => {
  const v26 = goOf('1.26') ? '1.26' : undefined;
  test('Go 1.26 (GOEXPERIMENT=goroutineleakprofile): goroutineleak, heap and a trace', { skip: v26 ? false : 'Go 1.26 is not installed' }, async () => {
    const s = await startPprofServer({ version: '1.26' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      for (const kind of ['goroutineleak', 'heap', 'trace'] as const) {
        const r = await run([s.url, '--kind', kind, ...(kind === 'trace' ? ['--seconds', '1'] : []), '--json']);
        assert.equal(r.code, 0, `${kind}: ${r.err}`);
        const file = (JSON.parse(r.out) as { file: string }).file;
        if (kind === 'trace') {
          assert.ok(traceSummaryFrom(file).events > 0);
        } else {
          const p = profileFromFile(file);
          assert.deepEqual(p.sampleTypes.map((t) => `${t.type}/${t.unit}`), SAMPLE_TYPES[kind]);
          assert.deepEqual(p.sampleTypes.map((t) => `${t.type}/${t.unit}`), pprofSampleTypes(file));
          if (kind === 'goroutineleak') assert.ok((ourRow(p, kind, 'main.leakOne')?.cum ?? 0) > 0);
        }
      }
    } finally {
      await s.stop();
    }
  });

  const old = goOf('1.25') ? '1.25' : goOf('1.24') ? '1.24' : undefined;
  test(`Go ${old ?? '1.25'} has no goroutineleak endpoint: exit 2 naming the 404 and Go's "Unknown profile"`, { skip: old ? false : 'neither Go 1.25 nor 1.24 is installed' }, async () => {
    const s = await startPprofServer({ version: old });
    try {
      const r = await run([s.url, '--kind', 'goroutineleak']);
      assert.equal(r.code, 2);
      assert.match(r.err, /^golens: 127\.0\.0\.1:\d+ answered 404 Not Found for \/debug\/pprof\/goroutineleak: Unknown profile \(the goroutineleak profile needs Go 1\.27, or Go 1\.26 built with GOEXPERIMENT=goroutineleakprofile\)\n$/);
      assert.deepEqual(filesIn(r.cwd), []);
      // The same server captures what it has.
      assert.equal((await run([s.url, '--kind', 'goroutine'])).code, 0);
    } finally {
      await s.stop();
    }
  });
});
