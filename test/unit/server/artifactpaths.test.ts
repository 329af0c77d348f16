// golens.artifacts in a hostile workspace: links to /dev/zero, FIFOs, links and `..` out of
// the workspace are dropped before anything is opened, quickly, and logged once by name
// (never by where they point); outside files only from trusted user settings.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ArtifactResolver, artifactPaths } from '../../../src/server/artifactpaths';
import { ArtifactCache } from '../../../src/server/artifacts';
import { ROOT } from '../helpers/fixtures';

const LEAK_TRACE = join(ROOT, 'test', 'fixtures', 'trace', 'go1.27', 'trace-leak.trace');

function hostileWorkspace(): { ws: string; outside: string } {
  const top = realpathSync(mkdtempSync(join(tmpdir(), 'golens-artifacts-')));
  const ws = join(top, 'ws');
  const outside = join(top, 'outside');
  mkdirSync(join(ws, 'traces', 'deep'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.trace'), 'outside secret\n');
  writeFileSync(join(ws, 'traces', 'deep', 'leak.trace'), new Uint8Array(0));
  execFileSync('cp', [LEAK_TRACE, join(ws, 'traces', 'deep', 'leak.trace')]);
  symlinkSync('/dev/zero', join(ws, 'traces', 'x.trace'));
  execFileSync('mkfifo', [join(ws, 'traces', 'fifo.trace')]);
  symlinkSync(join(outside, 'secret.trace'), join(ws, 'traces', 'out.trace'));
  symlinkSync(outside, join(ws, 'traces', 'linkdir'));
  symlinkSync(join(ws, 'traces', 'deep', 'leak.trace'), join(ws, 'traces', 'inside.trace'));
  return { ws, outside };
}

describe('golens.artifacts in a hostile workspace', () => {
  test('a glob matches only regular files really inside; links to devices, FIFOs and outside files are dropped by name', () => {
    const { ws, outside } = hostileWorkspace();
    const t0 = performance.now();
    const { files, dropped } = artifactPaths([ws], ['traces/**/*.trace']);
    assert.ok(performance.now() - t0 < 2000, 'no read, no hang');
    // The link inside the workspace is the same file as its target: one entry.
    assert.deepEqual(files, [join(ws, 'traces', 'deep', 'leak.trace')]);
    assert.deepEqual(dropped.map((d) => d.name).sort(), ['traces/fifo.trace', 'traces/out.trace', 'traces/x.trace']);
    assert.match(dropped.find((d) => d.name === 'traces/x.trace')!.why, /not a regular file/);
    assert.match(dropped.find((d) => d.name === 'traces/out.trace')!.why, /outside the workspace/);
    assert.ok(!JSON.stringify(dropped).includes(outside), 'never names where a link points');
    // The linked folder is not walked.
    assert.ok(!files.some((f) => f.startsWith(outside)));
  });

  test('paths: links out, devices and FIFOs are dropped; `..` and absolute paths only from trusted user settings', () => {
    const { ws, outside } = hostileWorkspace();
    const up = `../outside/secret.trace`;
    const abs = join(outside, 'secret.trace');
    const entries = ['traces/x.trace', 'traces/fifo.trace', 'traces/out.trace', 'traces/linkdir/secret.trace', up, abs, '/proc/self/environ', 'traces/inside.trace'];
    const plain = artifactPaths([ws], entries);
    assert.deepEqual(plain.files, [join(ws, 'traces', 'deep', 'leak.trace')]);
    assert.equal(plain.dropped.length, 7, JSON.stringify(plain.dropped));
    assert.ok(!JSON.stringify(plain.dropped).includes(outside) && !JSON.stringify(plain.dropped).includes('/proc'), JSON.stringify(plain.dropped));
    // The user's own entries may leave the workspace — regular files only, still.
    const user = artifactPaths([ws], entries, [up, abs, '/dev/zero']);
    assert.deepEqual(user.files, [abs, join(ws, 'traces', 'deep', 'leak.trace')].sort());
    assert.deepEqual(artifactPaths([ws], ['/dev/zero'], ['/dev/zero']).files, []);
    // An absolute path or `..` that ends inside the workspace is the workspace's own.
    const own = artifactPaths([ws], [join(ws, 'traces', 'deep', 'leak.trace'), 'traces/../traces/deep/leak.trace']);
    assert.deepEqual(own, { files: [join(ws, 'traces', 'deep', 'leak.trace')], dropped: [] });
  });

  test('the resolver: user entries count only when trusted; each dropped entry is logged once', () => {
    const { ws, outside } = hostileWorkspace();
    const abs = join(outside, 'secret.trace');
    let trusted = false;
    const lines: string[] = [];
    const r = new ArtifactResolver(() => trusted, (s) => lines.push(s));
    r.userEntries = [abs];
    for (let i = 0; i < 3; i++) assert.deepEqual(r.files([ws], ['traces/*.trace', abs]), [join(ws, 'traces', 'deep', 'leak.trace')]);
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.ok(lines.every((l) => !l.includes(outside)), lines.join('\n'));
    assert.ok(lines.some((l) => /entry 2 \(an absolute path\) leaves the workspace/.test(l)), lines.join('\n'));
    trusted = true;
    assert.ok(r.files([ws], ['traces/*.trace', abs]).includes(abs));
  });

  test('what the lenses read of such a workspace: the one real trace, its leaks', () => {
    const { ws } = hostileWorkspace();
    const data = new ArtifactCache().refresh(artifactPaths([ws], ['traces/**/*.trace', 'traces/*']).files);
    assert.deepEqual(data.errors, []);
    assert.ok(data.leaks.length > 0);
  });
});
