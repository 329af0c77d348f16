// The language server's lenses on Lock/Unlock lines and on the lines leaked goroutines block
// on, over the real fixtures: the numbers are those `golens contention --json` prints.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cmdContention } from '../../../src/cli/contention';
import { ArtifactCache } from '../../../src/server/artifacts';
import { ContentionLenses, contentionLensTitle } from '../../../src/server/contentionlenses';
import { blockedLensTitle, LeakLenses, resolveArtifacts } from '../../../src/server/leaklenses';
import { codeLenses } from '../../../src/server/lenses';
import type { RevealLineArgs } from '../../../src/protocol/lenses';
import { ROOT } from '../helpers/fixtures';

const WS = join(ROOT, 'test', 'fixtures');
const toolchains = (area: string) => readdirSync(join(WS, area)).filter((d) => /^go1\.\d+$/.test(d)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));

interface JsonSite {
  waitNs: number; count: number; kind: string; source: string;
  waiter: { file: string; line: number } | null; releaser: { file: string; line: number } | null;
  unreleased?: number; releaserNs?: number; releasers?: { waitNs: number; count: number; site: { file: string; line: number } | null }[];
  convoy?: { max: number };
}

function cliJson(paths: string[]): { sites: JsonSite[] } {
  let out = '';
  cmdContention([...paths, '--json'], (s) => { out += s; });
  return JSON.parse(out) as { sites: JsonSite[] };
}

/** The artifacts decoded once for both lenses; leak lenses give the build path → workspace file mapping, as in the server. */
function setup(rel: string[]) {
  const leaks = new LeakLenses(() => undefined);
  const artifacts = resolveArtifacts([WS], rel);
  const data = new ArtifactCache().refresh(artifacts);
  leaks.update([WS], data.leaks);
  const contention = new ContentionLenses();
  const placed = contention.update(data.contention, (p) => leaks.workspacePath(p));
  return { leaks, contention, placed, artifacts, errors: data.errors };
}

const LOCKS = new Set(['mutex', 'rwmutex', 'sync']);

describe('contention lenses', () => {
  for (const go of toolchains('trace')) {
    test(`${go} trace-contention.trace: the Lock and Unlock lines carry golens contention --json's numbers`, () => {
      const rel = `trace/${go}/trace-contention.trace`;
      const planted = JSON.parse(readFileSync(join(WS, 'trace', go, 'trace-contention.expected.json'), 'utf8')).planted.lines as { marker: string; line: number }[];
      const lockLine = planted.find((l) => l.marker === 'lock')!.line, unlockLine = planted.find((l) => l.marker === 'unlock')!.line;
      const { leaks, contention } = setup([rel]);
      const json = cliJson([join(WS, rel)]);
      const site = json.sites.find((s) => s.kind === 'mutex');
      assert.ok(site, `${go}: the CLI reports the mutex`);
      assert.equal(site.waiter!.line, lockLine);
      const main = join(WS, 'programs', 'trace-contention', 'main.go');
      const at = contention.at(main);
      // Exactly the lock and unlock lines: wait groups and channels are not locks.
      assert.deepEqual([...new Set(at.map((c) => c.line))].sort((a, b) => a - b), [lockLine, unlockLine].sort((a, b) => a - b));
      const lock = at.find((c) => c.role === 'lock')!;
      assert.equal(lock.line, lockLine);
      assert.equal(lock.waitNs, site.waitNs);
      assert.equal(lock.count, site.count);
      assert.equal(lock.waiters, site.convoy!.max);
      const unlocks = at.filter((c) => c.role === 'unlock');
      const rels = site.releasers ?? [{ site: site.releaser, waitNs: site.waitNs - 0, count: site.count - (site.unreleased ?? 0) }];
      assert.deepEqual(unlocks.map((u) => [u.line, u.waitNs, u.count]), rels.filter((r) => r.site).map((r) => [r.site!.line, r.waitNs, r.count]));
      if (!site.releasers && !site.unreleased) assert.deepEqual([unlocks[0].waitNs, unlocks[0].count], [site.waitNs, site.count]);
      // What the editor gets: lenses at those lines, numbers in the arguments, the other end to jump to.
      const lenses = codeLenses(main, leaks, contention);
      const lockLens = lenses.find((l) => l.range.start.line === lockLine - 1)!;
      const args = lockLens.command!.arguments![0] as RevealLineArgs;
      assert.deepEqual([args.waitNs, args.count, args.role, args.line], [site.waitNs, site.count, 'lock', unlockLine]);
      assert.match(lockLens.command!.title, new RegExp(`^\\$\\(lock\\) Mutex contended: \\S+ in ${site.count} waits? \\(max \\S+, up to ${site.convoy!.max} waiting at once\\) — released at main\\.go:${unlockLine} · trace-contention\\.trace$`));
      const unlockLens = lenses.find((l) => l.range.start.line === unlockLine - 1)!;
      assert.match(unlockLens.command!.title, new RegExp(`^\\$\\(unlock\\) Unlock woke \\d+ waits? \\(\\S+ waited at main\\.go:${lockLine}\\) · trace-contention\\.trace$`));
    });
  }

  for (const go of toolchains('contention')) {
    test(`${go} contention trace + mutex + block profiles: every lock site on its lines`, () => {
      const files = ['contention.trace', 'mutex.pprof', 'block.pprof'].map((f) => `contention/${go}/${f}`);
      const { contention, leaks } = setup(files);
      const json = cliJson(files.map((f) => join(WS, f)));
      const main = join(WS, 'programs', 'contention', 'main.go');
      const at = contention.at(main);
      let expected = 0;
      for (const s of json.sites.filter((x) => LOCKS.has(x.kind))) {
        if (s.waiter && leaks.workspacePath(s.waiter.file) === main) {
          expected++;
          assert.ok(at.some((c) => c.role === 'lock' && c.line === s.waiter!.line && c.waitNs === s.waitNs && c.count === s.count), `${go}: lock lens for ${JSON.stringify(s)}`);
        }
        const rels = s.releasers ?? (s.releaser ? [{ site: s.releaser, waitNs: s.releaserNs ?? s.waitNs, count: s.releaserNs !== undefined ? -1 : s.count }] : []);
        for (const r of rels) {
          if (!r.site || leaks.workspacePath(r.site.file) !== main) continue;
          expected++;
          assert.ok(at.some((c) => c.role === 'unlock' && c.line === r.site!.line && c.waitNs === r.waitNs && (r.count < 0 || c.count === r.count)), `${go}: unlock lens for ${JSON.stringify(s)}`);
        }
      }
      assert.equal(at.length, expected);
      assert.ok(at.some((c) => c.role === 'lock') && at.some((c) => c.role === 'unlock'), `${go}: both ends`);
      const src = readFileSync(main, 'utf8').split('\n');
      for (const c of at) assert.match(src[c.line - 1], c.role === 'lock' ? /Lock\(\)/ : /Unlock\(\)/, `${go}: line ${c.line} ${c.role}: ${contentionLensTitle(c, (f) => f)}`);
    });
  }

  test('artifacts that are not contention inputs are skipped quietly; broken ones are reported', () => {
    const { placed, errors } = setup(['leaks/go1.27/leakprof-1.pprof', 'pprof/go1.27/goroutine.txt', 'pprof/go1.27/cpu.pprof']);
    assert.equal(placed, 0);
    assert.deepEqual(errors, []);
    const dir = mkdtempSync(join(tmpdir(), 'golens-cl-'));
    const truncated = join(dir, 'cut.trace');
    const bytes = readFileSync(join(WS, 'trace', 'go1.27', 'trace-contention.trace'));
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const broken = new ContentionLenses();
    const data = new ArtifactCache().refresh([truncated, join(WS, 'README.md'), join(dir, 'missing.trace')]);
    assert.equal(broken.update(data.contention, () => undefined), 0);
    // One line per artifact, whichever lens would read it: the broken trace, the file nothing reads, the missing one.
    assert.equal(data.errors.length, 3, data.errors.join('\n'));
    assert.match(data.errors[0], /cut\.trace: /);
    assert.match(data.errors[1], /README\.md: not a goroutine dump/);
    assert.match(data.errors[2], /missing\.trace: /);
  });
});

describe('lenses on the lines leaked goroutines block on', () => {
  test('Go 1.27 trace: each planted leak has a lens on its blocking line naming its go statement', () => {
    const planted = JSON.parse(readFileSync(join(WS, 'trace', 'go1.27', 'trace-leak.expected.json'), 'utf8')).planted.leaks as { goLine: number; count: number; reason: string }[];
    const leaks = new LeakLenses(() => undefined);
    leaks.update([WS], new ArtifactCache().refresh(resolveArtifacts([WS], ['trace/go1.27/trace-leak.trace'])).leaks);
    const main = join(WS, 'programs', 'trace-leak', 'main.go');
    const blocked = leaks.blockedAt(main);
    const goLines = blocked.flatMap((b) => b.createdBy.map((c) => c.line)).sort((a, b) => a - b);
    assert.deepEqual(goLines, planted.map((p) => p.goLine).sort((a, b) => a - b));
    const src = readFileSync(main, 'utf8').split('\n');
    for (const p of planted) {
      const b = blocked.find((x) => x.createdBy.some((c) => c.line === p.goLine))!;
      assert.equal(b.rows.reduce((a, r) => a + r.count, 0), p.count);
      assert.ok(b.rows.every((r) => r.reason === p.reason));
      assert.notEqual(b.line, p.goLine);
      assert.doesNotMatch(src[b.line - 1], /^\s*go /, 'the blocking line is not the go statement');
      assert.equal(blockedLensTitle(b), `⚠ ${p.count} leaked goroutine${p.count === 1 ? '' : 's'} blocked here on ${p.reason} — started by go at main.go:${p.goLine}`);
    }
    const lenses = codeLenses(main, leaks, undefined);
    const send = planted.find((p) => p.reason === 'chan send')!;
    const b = blocked.find((x) => x.createdBy.some((c) => c.line === send.goLine))!;
    const lens = lenses.find((l) => l.range.start.line === b.line - 1 && l.command!.command === 'golens.revealLine')!;
    assert.deepEqual((lens.command!.arguments![0] as RevealLineArgs).line, send.goLine);
  });
});
