// pprof labels: on every committed profile that has labels (test/fixtures/labels/, written by
// generate-labels.sh), GoLens's top with -tagroot / -tagleaf equals `go tool pprof -top` with
// them, and its per-key label table prints exactly what `go tool pprof -tags` prints.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { withLabelFrames } from '../../../src/core/pprof/labelframes';
import { labelTables } from '../../../src/core/pprof/labeltable';
import { defaultSampleIndex, sampleIndex, type Profile } from '../../../src/core/pprof/model';
import { stacks } from '../../../src/core/pprof/stacks';
import { top } from '../../../src/core/pprof/top';
import { UsageError } from '../../../src/cli/args';
import { cmdTags, tagsText } from '../../../src/cli/tags';
import { cmdTop } from '../../../src/cli/top';
import { ROOT } from '../helpers/fixtures';
import { parseTop } from '../helpers/wild';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const LABELS = join(FIXTURES, 'labels');

/** Every reference directory: the profile's path below test/fixtures and its files. */
function references(): { rel: string; files: string[] }[] {
  return readdirSync(LABELS, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name === 'tags.txt')
    .map((d) => {
      const rel = d.parentPath.slice(LABELS.length + 1).split('\\').join('/');
      return { rel, files: readdirSync(d.parentPath).filter((f) => f.endsWith('.top.txt')).sort() };
    })
    .sort((a, b) => a.rel.localeCompare(b.rel));
}

// The -unit generate-labels.sh gave pprof for exact numbers; label frames scale to it too.
function exactUnit(unit: string): string {
  if (/^(nanoseconds?|ns)$/.test(unit)) return 'ns';
  if (/^(bytes?|B)$/.test(unit)) return 'B';
  return 'count';
}

const rowsOf = (p: Profile, si: number, root: string[], leaf: string[], unit: string) => {
  const got = top(stacks(withLabelFrames(p, root, leaf, unit), si), 'functions');
  return { total: got.total, rows: got.rows.map((r) => ({ name: `${r.printable}${r.inline ? ` (${r.inline})` : ''}`, flat: r.flat, cum: r.cum })) };
};

const refs = references();
const text = (rel: string, f: string) => readFileSync(join(LABELS, rel, f), 'utf8');

describe('pprof labels against go tool pprof', () => {
  test('references cover the Go toolchains\' cpu profiles (worker, stage), heap profiles and the wild corpus', () => {
    const rels = refs.map((r) => r.rel);
    for (const v of ['19', '21', '22', '23', '24', '25', '26', '27']) assert.ok(rels.includes(`pprof/go1.${v}/cpu.pprof`), `go1.${v} cpu`);
    assert.ok(rels.includes('wild/profiles/parca/query__profile-with-labels.pb.gz'));
    assert.ok(rels.filter((r) => r.startsWith('wild/')).length >= 10, `${rels.length} references`);
    assert.match(text('pprof/go1.27/cpu.pprof', 'tags.txt'), /worker: Total/);
  });

  for (const { rel, files } of refs) {
    test(rel, () => {
      const p = decodeProfile(readFileSync(join(FIXTURES, rel)));
      // -tags: the text, byte for byte (numbers as pprof rounds them); the reference drops the last blank line.
      const si0 = defaultSampleIndex(p);
      assert.equal(tagsText(labelTables(stacks(p, si0)), p.sampleTypes[si0].unit).replace(/\n+$/, '\n'), text(rel, 'tags.txt'), `${rel}: -tags`);
      assert.ok(files.length >= 2, `${rel}: a tagroot and a tagleaf reference`);
      for (const f of files) {
        const m = /^(.+)\.(tagroot|tagleaf)=(.+)\.top\.txt$/.exec(f);
        assert.ok(m, f);
        const si = sampleIndex(p, m[1]);
        const keys = m[3].split(',');
        const want = parseTop(text(rel, f), f);
        const got = rowsOf(p, si, m[2] === 'tagroot' ? keys : [], m[2] === 'tagleaf' ? keys : [], exactUnit(p.sampleTypes[si].unit));
        assert.deepEqual(got, { total: want.total, rows: want.rows.map((r) => ({ name: r.name, flat: r.flat, cum: r.cum })) }, `${rel}: ${f}`);
      }
    });
  }
});

describe('golens top --tagroot/--tagleaf and golens tags', () => {
  const file = join(FIXTURES, 'pprof', 'go1.27', 'cpu.pprof');
  // The commands as main runs them (importing main would run the CLI on the test's argv).
  const run = (cmd: 'tags' | 'top', ...argv: string[]) => {
    let out = '';
    (cmd === 'tags' ? cmdTags : cmdTop)(argv, (s) => { out += s; });
    return { out };
  };

  test('tags prints pprof -tags; --key keeps one key; --json has the same numbers', () => {
    const want = text('pprof/go1.27/cpu.pprof', 'tags.txt');
    assert.equal(run('tags', file).out, `${want}\n`);
    const worker = run('tags', file, '--key', 'worker').out;
    assert.ok(`${want}\n`.includes(worker) && worker.startsWith(' worker:') && !worker.includes('stage'), worker);
    const j = JSON.parse(run('tags', file, '--json', '--key', 'worker').out) as { total: number; keys: { key: string; total: number; missing: number; rows: { value: string; total: number }[] }[] };
    const w = j.keys[0];
    assert.deepEqual(w.rows.map((r) => r.value).sort(), ['hash', 'parse']);
    assert.equal(w.total + w.missing, j.total, 'every sample either has a worker or is counted missing');
  });

  test('an absent key is one usage error naming the keys there are', () => {
    assert.throws(() => run('tags', file, '--key', 'nope'), (e) => e instanceof UsageError && /no sample has the label "nope".*stage, worker/.test(e.message));
  });

  test('top --tagroot worker: one root per worker value plus <unknown>, cum as pprof', () => {
    const j = JSON.parse(run('top', file, '--tagroot', 'worker', '--json').out) as { rows: { name: string; cum: number; flat: number }[] };
    const want = parseTop(text('pprof/go1.27/cpu.pprof', 'cpu.tagroot=worker.top.txt'), 'tagroot=worker');
    for (const name of ['parse', 'hash', '<unknown>']) {
      const g = j.rows.find((r) => r.name === name), w = want.rows.find((r) => r.name === name);
      assert.ok(g && w, name);
      assert.equal(g.cum, w.cum, name);
      assert.equal(g.flat, 0, `${name}: a root frame has no flat`);
    }
    // --tagleaf puts them at the leaf: all of a value's time is flat there.
    const leaf = JSON.parse(run('top', file, '--tagleaf', 'worker', '--json').out) as { rows: { name: string; cum: number; flat: number }[] };
    const parse = leaf.rows.find((r) => r.name === 'parse')!;
    assert.equal(parse.flat, parse.cum);
    assert.equal(parse.cum, j.rows.find((r) => r.name === 'parse')!.cum);
  });
});
