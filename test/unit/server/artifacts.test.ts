// The server decodes each artifact in golens.artifacts once per change, for both the leak and
// the contention lenses, on the worker thread; a file is read again only when its size or
// modification time changed, so saving a Go file re-reads none of them.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import type { LoadOptions } from '../../../src/core/artifacts/load';
import { fileSource, type FileSource } from '../../../src/core/io/file';
import { ArtifactCache, type LensData } from '../../../src/server/artifacts';
import { LensService } from '../../../src/server/lensservice';
import { TraceWorkerClient } from '../../../src/server/traceclient';
import { ROOT } from '../helpers/fixtures';
import { WorkspaceSources } from '../../../src/server/sources';

const WS = join(ROOT, 'test', 'fixtures');

/** LoadOptions that count how often each file is opened and how many of its bytes are read. */
function counting() {
  const opens = new Map<string, number>();
  const bytes = new Map<string, number>();
  const opts: LoadOptions = {
    open: (path): FileSource => {
      const f = fileSource(path);
      opens.set(path, (opens.get(path) ?? 0) + 1);
      return {
        size: f.size,
        read: (o, n) => { const b = f.read(o, n); bytes.set(path, (bytes.get(path) ?? 0) + b.length); return b; },
        close: () => f.close(),
        get bytesRead() { return f.bytesRead; },
      };
    },
  };
  const reset = () => { opens.clear(); bytes.clear(); };
  return { opts, opens, bytes, reset };
}

/** The artifacts copied to a folder of their own (their modification times are the test's to change). */
function workspace(): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'golens-artifacts-'));
  const files = [
    ['trace', 'go1.27', 'trace-leak.trace'], ['contention', 'go1.27', 'contention.trace'], ['contention', 'go1.27', 'mutex.pprof'],
    ['contention', 'go1.27', 'block.pprof'], ['leaks', 'go1.27', 'leakprof-1.pprof'], ['leaks', 'go1.27', 'leakprof-2.txt'], ['pprof', 'go1.27', 'heap.pprof'],
  ].map((p) => {
    const to = join(dir, `${p[0]}-${p[2]}`);
    copyFileSync(join(WS, ...p), to);
    return to;
  });
  return { dir, files };
}

const touch = (path: string) => { const t = statSync(path).mtimeMs / 1000 + 5; utimesSync(path, t, t); };

describe('artifact cache', () => {
  test('one decode per artifact per change, shared by the leak and the contention lenses', () => {
    const { files } = workspace();
    const c = counting();
    const cache = new ArtifactCache(c.opts);

    const first = cache.refresh(files);
    assert.equal(first.decoded, files.length);
    assert.ok(first.leaks.length > 0, 'leaks found');
    assert.ok(first.contention.report.sites.length > 0, 'contention found');
    assert.deepEqual(first.contention.traces.map((t) => t.split('/').pop()), ['trace-trace-leak.trace', 'contention-contention.trace']);
    assert.deepEqual(first.errors, []);
    // Each file opened once and its bytes read once, though both lenses read the traces.
    for (const f of files) {
      assert.equal(c.opens.get(f), 1, `${f} opened ${c.opens.get(f)} times`);
      assert.equal(c.bytes.get(f), statSync(f).size, `${f}: bytes read`);
    }

    // Nothing changed (a Go file was saved): nothing is read again, the answer is the same.
    c.reset();
    const second = cache.refresh(files);
    assert.equal(second.decoded, 0);
    assert.equal(c.opens.size, 0, `read again: ${[...c.opens.keys()].join(', ')}`);
    assert.deepEqual({ ...second, decoded: 1 }, { ...first, decoded: 1 });

    // One artifact changed: only it is read again.
    c.reset();
    touch(files[1]);
    const third = cache.refresh(files);
    assert.equal(third.decoded, 1);
    assert.deepEqual([...c.opens.keys()], [files[1]]);
    assert.deepEqual(third.contention.report, first.contention.report);
    assert.deepEqual(third.leaks, first.leaks);

    // An artifact dropped from the settings is forgotten; one added is read, the others are not.
    c.reset();
    const fewer = cache.refresh(files.slice(2));
    assert.equal(fewer.decoded, 0);
    assert.deepEqual(fewer.contention.traces, []);
    const again = cache.refresh(files);
    assert.equal(again.decoded, 2);
    assert.deepEqual([...c.opens.keys()].sort(), files.slice(0, 2).sort());
  });

  test('a broken, missing or unknown artifact is one line, read once', () => {
    const { dir } = workspace();
    const c = counting();
    const cache = new ArtifactCache(c.opts);
    const paths = [join(WS, 'README.md'), join(dir, 'missing.trace')];
    assert.equal(cache.refresh(paths).errors.length, 2);
    c.reset();
    const again = cache.refresh(paths);
    assert.equal(again.errors.length, 2);
    assert.equal(again.decoded, 0);
    assert.equal(c.opens.size, 0);
  });
});

describe('lens service', () => {
  test('saving Go files re-reads no artifact; refreshes asked for while one runs coalesce', async () => {
    const { files } = workspace();
    const c = counting();
    const cache = new ArtifactCache(c.opts);
    const asked: number[] = [];
    const service = new LensService({
      lensData: async (paths) => { await new Promise((r) => setTimeout(r, 5)); const d = cache.refresh(paths); asked.push(d.decoded); return d; },
      settings: async () => ({ artifacts: files }),
      // The copies' folder is a workspace folder too: golens.artifacts reads only inside them.
      roots: () => [WS, dirname(files[0])],
      log: () => {}, warn: () => {}, error: (s) => assert.fail(s),
      changed: async () => {},
      sources: new WorkspaceSources(), trusted: () => false,
    });
    await service.refresh();
    assert.deepEqual(asked, [files.length]);
    const leakLenses = service.leaks.at(join(WS, 'programs', 'trace-leak', 'main.go'));
    assert.ok(leakLenses.length > 0, 'leak lenses placed');
    assert.ok(service.codeLenses(pathToFileURL(join(WS, 'programs', 'contention', 'main.go')).toString()).length > 0, 'contention lenses placed');
    // Three saves in a row: one refresh runs, the two asked for meanwhile become one more; neither reads an artifact.
    c.reset();
    await Promise.all([service.refresh(), service.refresh(), service.refresh()]);
    assert.deepEqual(asked, [files.length, 0, 0]);
    assert.equal(c.opens.size, 0);
    assert.deepEqual(service.leaks.at(join(WS, 'programs', 'trace-leak', 'main.go')), leakLenses);
  });

  test('on the worker thread: decoded there once, the second ask reads nothing', async () => {
    const script = join(ROOT, 'dist', 'traceworker.js');
    assert.ok(existsSync(script), 'dist/traceworker.js is built');
    const client = new TraceWorkerClient(script);
    try {
      const { files } = workspace();
      const first: LensData = await client.lensData(files);
      assert.equal(first.decoded, files.length);
      const inThread = new ArtifactCache().refresh(files);
      assert.deepEqual({ ...first, decoded: 0 }, { ...inThread, decoded: 0 }, 'the worker answers as the cache does here');
      const second = await client.lensData(files);
      assert.equal(second.decoded, 0);
      touch(files[0]);
      assert.equal((await client.lensData(files)).decoded, 1);
    } finally {
      await client.dispose();
    }
  });
});
