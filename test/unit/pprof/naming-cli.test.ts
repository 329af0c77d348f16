// The golens CLI, run as a process, names rows as pprof's -top does in its text and its
// --json: the same row names, inline marks, flat and cum, at both granularities.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../helpers/fixtures';
import { golensProcess } from '../helpers/golensproc';
import { diffTop, NAMING_DIR, namingCases, namingTop } from '../helpers/naming';

// One sample type per file (the first listed) keeps the number of processes small.
const cases = namingCases().filter((c, i, all) => all.findIndex((d) => d.file === c.file) === i || all.findIndex((d) => d.file === c.file && d.granularity === c.granularity) === i);

const LIMIT = 3000;

describe('golens top names rows as pprof -top', () => {
  for (const c of cases) {
    // -n: the process's output stays under spawnSync's buffer (default.pgo has 13,000 rows at -lines).
    const args = ['top', c.path, '--sample', c.sampleType, '--granularity', c.granularity, '-n', String(LIMIT)];
    // golensProcess reads stdout as UTF-8 (a raw byte would read as U+FFFD): see the byte test below.
    if (c.file !== 'rawbytes.pprof') test(`${c.file} ${c.sampleType} ${c.granularity}: text`, () => {
      const want = namingTop(c);
      const r = golensProcess(...args);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split('\n');
      const start = lines.findIndex((l) => /^\s+flat\s+flat%/.test(l));
      const rows = lines.slice(start + 1).filter((l) => l.trim()).map((l) => {
        const m = /^\s*\S+\s+\S+%\s+\S+%\s+\S+\s+\S+%  (.*?)(?: \(((?:partial-)?inline)\))?$/.exec(l);
        assert.ok(m, l);
        return [m[1], m[2] ?? ''];
      });
      assert.deepEqual(rows, want.rows.slice(0, LIMIT).map((w) => [w.name, w.inline]));
    });
    test(`${c.file} ${c.sampleType} ${c.granularity}: --json`, () => {
      const want = namingTop(c);
      const r = golensProcess(...args, '--json');
      assert.equal(r.code, 0, r.stderr);
      const got = JSON.parse(r.stdout) as { total: number; rows: { name: string; function: string; flat: number; cum: number; inline?: string }[] };
      assert.equal(got.total, want.total);
      assert.deepEqual(got.rows.map((x) => [x.name, x.flat, x.cum, x.inline ?? '']), want.rows.slice(0, LIMIT).map((w) => [w.name, w.flat, w.cum, w.inline]));
      for (const x of got.rows) assert.ok(!/^0x[0-9a-f]+$/.test(x.function), `function named by address: ${x.function}`);
    });
  }
});

test('the text output carries a name\'s invalid UTF-8 as its bytes, as pprof prints it', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'top', join(NAMING_DIR, 'rawbytes.pprof'), '--granularity', 'lines'], { timeout: 60_000 });
  assert.equal(r.status, 0, String(r.stderr));
  const want = namingTop({ file: 'rawbytes.pprof', sampleType: 'alloc_space', granularity: 'lines', path: '' })
    .rows.find((x) => x.name.startsWith('main.grow '));
  assert.ok(want);
  const out = r.stdout as Buffer;
  const at = out.indexOf(Buffer.from('main.grow w'));
  assert.ok(at >= 0, out.toString('latin1'));
  assert.deepEqual([...out.subarray(at, out.indexOf(10, at))], [...Buffer.from(`main.grow w\xffx.go:${/:(\d+)$/.exec(want.name)![1]}`, 'latin1')]);
});

test('golens diff --json names rows as pprof -diff_base', () => {
  const r = golensProcess('diff', join(NAMING_DIR, 'generics.pprof'), join(NAMING_DIR, 'rawbytes.pprof'), '--sample', 'alloc_space', '--json');
  assert.equal(r.code, 0, r.stderr);
  const got = JSON.parse(r.stdout) as { rows: { name: string; flat: { delta: number }; cum: { delta: number } }[] };
  assert.deepEqual(got.rows.map((x) => [x.name, x.flat.delta, x.cum.delta]), diffTop('functions').rows.map((w) => [w.name, w.flat, w.cum]));
});
