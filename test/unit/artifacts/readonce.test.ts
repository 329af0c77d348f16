// `golens report` and the other commands read each input once: a file is opened once and each
// of its bytes is read once, however many analyses apply to it (a trace is walked in one pass
// that feeds them all). A byte source that counts proves it.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { contentionFrom } from '../../../src/core/artifacts/contention';
import { gcFrom } from '../../../src/core/artifacts/gc';
import { leaksFrom } from '../../../src/core/artifacts/leaks';
import type { LoadOptions } from '../../../src/core/artifacts/load';
import { reportFindings } from '../../../src/core/artifacts/report';
import { schedFrom } from '../../../src/core/artifacts/sched';
import { traceSummaryFrom } from '../../../src/core/artifacts/summary';
import { fileSource, type FileSource } from '../../../src/core/io/file';
import { ROOT } from '../helpers/fixtures';

const F = (...p: string[]) => join(ROOT, 'test', 'fixtures', ...p);

/** LoadOptions whose files count their opens, reads and bytes. */
function counting() {
  const files = new Map<string, { opens: number; reads: number; bytes: number }>();
  const opts: LoadOptions = {
    open: (path): FileSource => {
      const f = fileSource(path);
      const c = files.get(path) ?? { opens: 0, reads: 0, bytes: 0 };
      files.set(path, c);
      c.opens++;
      return {
        size: f.size,
        read: (offset, length) => { const b = f.read(offset, length); c.reads++; c.bytes += b.length; return b; },
        close: () => f.close(),
        get bytesRead() { return f.bytesRead; },
      };
    },
  };
  return { opts, files };
}

function assertReadOnce(files: ReturnType<typeof counting>['files'], paths: string[]) {
  for (const p of paths) {
    const c = files.get(p);
    assert.ok(c, `${p} was not read`);
    assert.equal(c.opens, 1, `${p} opened ${c.opens} times`);
    assert.equal(c.bytes, statSync(p).size, `${p}: ${c.bytes} bytes read of ${statSync(p).size}`);
  }
}

describe('each input is read once', () => {
  for (const go of ['go1.27', 'go1.21']) {
    test(`report on a ${go} trace: every analysis, one read of its bytes`, () => {
      const trace = F('trace', go, 'trace-gc.trace');
      const { opts, files } = counting();
      const findings = reportFindings([trace], opts);
      assert.ok(findings.some((f) => f.kind === 'gc'), 'the GC analysis ran');
      assertReadOnce(files, [trace]);
    });
  }

  test('report on mixed inputs: each file opened once, its bytes read once', () => {
    const paths = [
      F('trace', 'go1.27', 'trace-leak.trace'), F('trace', 'go1.27', 'trace-contention.trace'), F('pprof', 'go1.27', 'mutex.pprof'),
      F('leaks', 'go1.27', 'leakprof-1.pprof'), F('leaks', 'go1.27', 'leakprof-1.txt'), F('gctrace', 'go1.27', 'gc-log.log'),
      F('sched', 'go1.27', 'schedtrace.log'), F('pprof', 'go1.27', 'cpu.pprof'),
    ];
    const { opts, files } = counting();
    const kinds = new Set(reportFindings(paths, opts).map((f) => f.kind));
    for (const k of ['leak', 'contention', 'gc', 'sched']) assert.ok(kinds.has(k as never), `no ${k} finding`);
    assertReadOnce(files, paths);
  });

  test('the single-analysis commands read their inputs once too', () => {
    const trace = F('trace', 'go1.27', 'trace-contention.trace');
    for (const run of [
      (o: LoadOptions) => traceSummaryFrom(trace, o), (o: LoadOptions) => leaksFrom([trace], o), (o: LoadOptions) => contentionFrom([trace], o),
      (o: LoadOptions) => gcFrom(trace, o), (o: LoadOptions) => schedFrom(trace, o),
    ]) {
      const { opts, files } = counting();
      run(opts);
      assertReadOnce(files, [trace]);
    }
  });
});
