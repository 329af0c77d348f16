// Each sample decodes to exactly the frames, inline marks, labels and value that
// `go tool pprof -traces` printed for it, for every fixture of every toolchain.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodeProfile } from '../../../src/core/pprof/decode';
import { defaultSampleIndex } from '../../../src/core/pprof/model';
import { frameTable } from '../../../src/core/pprof/stacks';
import { printableName } from '../../../src/core/pprof/top';
import { scaledLabel } from '../../../src/core/pprof/units';
import { fixture, PPROF_DIR, toolchainDirs } from '../helpers/fixtures';

interface Trace { labels: string[]; value: string; frames: string[] }

const SEP = '-----------+-------------------------------------------------------';

function parseTraces(text: string, numericKeys: Set<string>): Trace[] {
  const blocks = text.split(SEP).slice(1, -1);
  return blocks.map((b) => {
    const t: Trace = { labels: [], value: '', frames: [] };
    for (const line of b.split('\n')) {
      if (!line.trim()) continue;
      const lab = /^\s*(\S+):  (.*)$/.exec(line);
      if (lab && t.frames.length === 0 && !/^\s{11}/.test(line)) {
        if (!numericKeys.has(lab[1])) t.labels.push(`${lab[1]}:${lab[2]}`);
        continue;
      }
      const f = /^(.{10})   (.*)$/.exec(line);
      if (!f) throw new Error(`cannot parse ${JSON.stringify(line)}`);
      if (t.frames.length === 0) t.value = f[1].trim();
      t.frames.push(f[2]);
    }
    return t;
  });
}

for (const dir of toolchainDirs()) {
  describe(`${dir}: samples = go tool pprof -traces`, () => {
    for (const kind of ['cpu', 'heap', 'allocs', 'mutex', 'block', 'goroutine', 'threadcreate']) {
      const tracesFile = join(PPROF_DIR, dir, `${kind}.traces.txt`);
      if (!existsSync(tracesFile)) continue;
      test(kind, () => {
        const p = decodeProfile(fixture(dir, `${kind}.pprof`));
        const numericKeys = new Set(p.labelSets.flat().filter((l) => l.num !== undefined).map((l) => l.key));
        const want = parseTraces(readFileSync(tracesFile, 'utf8'), numericKeys);
        const { frames, byLocation } = frameTable(p);
        const si = defaultSampleIndex(p);
        const k = p.sampleTypes.length;
        const got: Trace[] = [];
        for (let i = 0; i < p.samples.count; i++) {
          const names: string[] = [];
          for (let j = p.samples.offsets[i]; j < p.samples.offsets[i + 1]; j++) {
            const fids = byLocation[p.samples.locs[j]];
            // Leaf first: the location's innermost line first.
            for (let q = fids.length - 1; q >= 0; q--) {
              const f = frames[fids[q]];
              names.push(printableName(f, 'functions') + (f.inlined ? ' (inline)' : ''));
            }
          }
          if (names.length === 0) continue;
          const labels = p.labelSets[p.samples.labelSet[i]].filter((l) => l.str !== undefined).map((l) => `${l.key}:${l.str}`).sort();
          got.push({ labels, value: scaledLabel(p.samples.values[i * k + si], p.sampleTypes[si].unit, 'minimum'), frames: names });
        }
        assert.equal(got.length, want.length, 'number of traces');
        assert.deepEqual(got, want.map((t) => ({ ...t, labels: t.labels.sort() })));
      });
    }
  });
}
