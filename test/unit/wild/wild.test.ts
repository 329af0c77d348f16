// The wild corpus (test/fixtures/wild/: real profiles and traces from public repositories):
// GoLens's top equals `go tool pprof -top` for every profile and sample type, the CLI's text
// and JSON say the same on every one of them, traces give the counts of Go's own reader, and
// every file either decodes or is refused with one FormatError, never a crash.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FormatError } from '../../../src/core/errors';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { memorySource } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { summarize } from '../../../src/core/runtime/pass';
import { cmdTop } from '../../../src/cli/top';
import { golensProcess } from '../helpers/golensproc';
import { WILD, manifest, parseTop, readTop, type PprofTopText, type TopFile, type WildFile } from '../helpers/wild';

/**
 * Known differences, one per (top file), each a GoLens bug another branch is fixing. Delete an
 * entry when its fix merges: a listed case that starts agreeing fails the test.
 */
const KNOWN: Record<string, string> = {
};

/** Differences of the CLI's text table alone (the numbers and JSON agree). */
const KNOWN_TEXT: Record<string, string> = {
  // On purpose: the CLI escapes control characters in names (a tab as \t, ESC as \e) so a file
  // cannot drive the terminal; pprof prints them raw. JSON and the numbers agree.
  'pyroscope/og__convert__pprof__invalid_utf8.pb.gz.0.top.txt': 'terminal safety: control characters escaped',
  'pyroscope/og__convert__pprof__invalid_utf8.pb.gz.0.lines.top.txt': 'terminal safety: control characters escaped',
  'parca/query__profile-with-labels.pb.gz.0.top.txt': 'terminal safety: a tab in a kernel frame name escaped',
  'parca/query__profile-with-labels.pb.gz.0.lines.top.txt': 'terminal safety: a tab in a kernel frame name escaped',
};

const profiles = manifest.files.filter((f) => f.kind === 'profile');
const traces = manifest.files.filter((f) => f.kind === 'trace');
const keyOf = (e: WildFile, t: TopFile) => `${e.file.split('/')[1]}/${t.file}`;
const bytesOf = (e: WildFile) => readFileSync(join(WILD, e.file));

function refusedWithFormatError(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FormatError, `${what}: expected a FormatError, got ${e instanceof Error ? e.stack : String(e)}`);
    assert.ok(e.message.length > 0 && !e.message.includes('\n'), `${what}: one-line message`);
    return;
  }
  assert.fail(`${what}: the Go tool refuses it, GoLens read it`);
}

function golensTop(t: TopFile, p: ReturnType<typeof decodeProfile>) {
  const got = top(stacks(p, t.sampleIndex, {}), t.args.includes('-lines') ? 'lines' : 'functions');
  return {
    total: got.total,
    rows: got.rows.map((r) => ({ name: `${r.printable}${r.inline ? ` (${r.inline})` : ''}`, flat: r.flat, cum: r.cum })),
  };
}
const pprofRows = (w: PprofTopText) => ({ total: w.total, rows: w.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })) });

describe('the wild corpus', () => {
  test('at least 100 files, each with its origin, licence, size and checksum', () => {
    assert.ok(manifest.files.length >= 100, `${manifest.files.length} files`);
    for (const f of manifest.files) {
      for (const k of ['repo', 'path', 'commit', 'license', 'producer'] as const) assert.ok(f[k], `${f.file}: ${k}`);
      const b = bytesOf(f);
      assert.equal(b.length, f.bytes, `${f.file}: size`);
      assert.ok(b.length <= 5_000_000, `${f.file}: under 5 MB`);
    }
  });

  test('every known difference names a top file of the corpus', () => {
    const keys = new Set(profiles.flatMap((e) => (e.pprof?.tops ?? []).map((t) => keyOf(e, t))));
    for (const k of [...Object.keys(KNOWN), ...Object.keys(KNOWN_TEXT)]) assert.ok(keys.has(k), `${k} is not in the manifest`);
  });
});

describe('wild profiles: golens top = go tool pprof -top', () => {
  for (const e of profiles) {
    test(e.file, () => {
      if (!e.pprof?.ok) {
        refusedWithFormatError(() => decodeProfile(bytesOf(e)), e.file);
        return;
      }
      const p = decodeProfile(bytesOf(e));
      assert.deepEqual(p.sampleTypes.map((s) => ({ type: s.type, unit: s.unit })), e.pprof.sampleTypes);
      for (const t of e.pprof.tops ?? []) {
        const got = golensTop(t, p);
        const want = pprofRows(readTop(e, t));
        const reason = KNOWN[keyOf(e, t)];
        if (reason) {
          assert.notDeepEqual(got, want, `${t.file} agrees now (${reason}): delete it from KNOWN`);
          assert.equal(got.total, want.total, `${t.file}: total`);
        } else {
          assert.deepEqual(got, want, t.file);
        }
      }
    });
  }
});

/** `golens top` as the CLI prints it: in this process (main), or as a real process for a few files. */
function cliTop(process: boolean, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  if (process) return golensProcess('top', ...args);
  let stdout = '';
  cmdTop(args, (x) => { stdout += x; });
  return { code: 0, stdout, stderr: '' };
}

describe('wild profiles through the CLI: text and JSON say what pprof says, for every output', () => {
  const readable = profiles.filter((e) => e.pprof?.ok);
  // A few as a real process (the bundled binary, argv, exit code); every one in this process.
  const spawned = new Set(readable.filter((e, i) => i % 30 === 0 || e.file.includes('default.go1.27')).map((e) => e.file));
  for (const e of readable) {
    test(`${e.file}${spawned.has(e.file) ? ' (spawned)' : ''}`, () => {
      for (const t of e.pprof!.tops!) {
        const want = readTop(e, t);
        const file = join(WILD, e.file);
        const args = [file, '--sample', String(t.sampleIndex), '-n', '1000000', ...(t.args.includes('-lines') ? ['--granularity', 'lines'] : [])];
        const proc = spawned.has(e.file) && !t.args.includes('-lines');
        const json = cliTop(proc, ...args, '--json');
        assert.equal(json.code, 0, json.stderr);
        const j = JSON.parse(json.stdout) as { total: number; rows: { name: string; flat: number; cum: number; inline?: string }[] };
        assert.equal(j.total, want.total, `${t.file}: JSON total`);
        assert.deepEqual(j.rows.map((r) => ({ flat: r.flat, cum: r.cum })), want.rows.map((r) => ({ flat: r.flat, cum: r.cum })), t.file);
        // JSON's name is pprof's row text without the mark, which is its own field.
        assert.deepEqual(j.rows.map((r) => r.name + (r.inline ? ` (${r.inline})` : '')), want.rows.map((r) => r.name), t.file);

        const text = cliTop(proc, ...args);
        assert.equal(text.code, 0, text.stderr);
        // The CLI scales values to a unit; names and percentages must read as pprof's.
        const rows = text.stdout.split('\n').map((l) => /^\s*\S+\s+(\S+%)\s+\S+%\s+\S+\s+(\S+%)  (.*)$/.exec(l)).filter((m) => m !== null);
        const gotText = rows.map((m) => ({ name: m![3], flatPct: m![1], cumPct: m![2] }));
        const wantText = want.rows.map((r) => ({ name: r.name, flatPct: r.flatPct, cumPct: r.cumPct }));
        const reason = KNOWN_TEXT[keyOf(e, t)];
        if (reason) assert.notDeepEqual(gotText, wantText, `${t.file} agrees now (${reason}): delete it from KNOWN_TEXT`);
        else assert.deepEqual(gotText, wantText, t.file);
      }
    });
  }
});

describe('wild traces: the counts of Go\'s reader, or a refusal', () => {
  test('every trace file on disk is in the manifest, and new-format traces (go 1.22+) are among those Go reads', () => {
    const onDisk = readdirSync(join(WILD, 'traces'), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name).slice(WILD.length + 1).split('\\').join('/')).sort();
    assert.deepEqual(onDisk, traces.map((e) => e.file).sort());
    const minor = (e: WildFile) => Number(/^go 1\.(\d+) trace\0/.exec(bytesOf(e).subarray(0, 16).toString('latin1'))?.[1]);
    const newFormat = traces.filter((e) => minor(e) >= 22 && e.goTrace?.ok);
    assert.ok(newFormat.length >= 3, `${newFormat.length} new-format traces Go reads`);
  });

  for (const e of traces) {
    test(e.file, () => {
      const want = e.goTrace!;
      if (!want.ok) {
        refusedWithFormatError(() => summarize(openTrace(memorySource(bytesOf(e)))), e.file);
        return;
      }
      const s = summarize(openTrace(memorySource(bytesOf(e))));
      assert.deepEqual(
        { events: s.events, goroutinesCreated: s.goroutinesCreated, gcCycles: s.gcCycles, durationNs: s.durationNs },
        { events: want.events, goroutinesCreated: want.goroutinesCreated, gcCycles: want.gcCycles, durationNs: want.durationNs },
      );
    });
  }
});

test('parseTop reads names that hold newlines', () => {
  const t = parseTop('Showing nodes accounting for 3, 100% of 3 total\n      flat  flat%   sum%        cum   cum%\n         3   100%   100%          3   100%  a\nb\n', 'x');
  assert.deepEqual(t.rows.map((r) => r.name), ['a\nb']);
});
