// The trace-wide stack table interns frames by content (pc, function, file, line) and stacks by
// their frames: on every committed trace, of either format, the decoder's table holds each
// frame once and numbers frames and stacks in the order first met, as a table keyed by the
// frames' full content does; frames that share a pc but differ otherwise stay apart.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { memorySource, StackTable, type Frame } from '../../../src/core/trace/events';
import { openTrace } from '../../../src/core/trace/open';
import { traceFixtures } from '../helpers/fixtures';

const content = (f: Frame) => JSON.stringify([f.pc, f.fn, f.file, f.line]);

describe('the stack table', () => {
  const files = traceFixtures(['trace']);

  test('on every committed trace: each frame once, frames and stacks numbered as a table keyed by content', () => {
    assert.ok(files.length >= 40, `${files.length} traces`);
    let frames = 0, stacks = 0;
    for (const file of files) {
      const reader = openTrace(memorySource(readFileSync(file)));
      while (reader.next());
      const t = reader.stacks;
      // A table keyed by each frame's content, filled in the decoder's stack order.
      const frameIds = new Map<string, number>();
      const stackIds = new Map<string, number>();
      for (let s = 0; s < t.size; s++) {
        const ids = t.get(s).map((f) => {
          let i = frameIds.get(content(f));
          if (i === undefined) { i = frameIds.size; frameIds.set(content(f), i); }
          return i;
        });
        const key = ids.join(',');
        assert.equal(stackIds.has(key), false, `${file}: stack ${s} twice`);
        stackIds.set(key, s);
      }
      assert.equal(t.frames.length, frameIds.size, `${file}: frames`);
      t.frames.forEach((f, i) => assert.equal(frameIds.get(content(f)), i, `${file}: frame ${i}`));
      // Interned again, every stack is found, with its id.
      for (let s = 0; s < t.size; s++) assert.equal(t.intern(t.get(s).map((f) => ({ ...f }))), s, `${file}: stack ${s} again`);
      assert.equal(t.frames.length, frameIds.size);
      frames += t.frames.length;
      stacks += t.size;
    }
    assert.ok(frames > 1000 && stacks > 500, `${frames} frames, ${stacks} stacks`);
  });

  test('frames sharing a pc but not their function, file or line are apart; each is found again', () => {
    const t = new StackTable();
    const a: Frame = { pc: 0x401000, fn: 'main.f', file: 'a.go', line: 10 };
    const variants: Frame[] = [a, { ...a, line: 11 }, { ...a, fn: 'main.g' }, { ...a, file: 'b.go' }, { ...a, pc: 0x401001 }];
    const ids = variants.map((f) => t.intern([f]));
    assert.deepEqual(ids, [0, 1, 2, 3, 4]);
    assert.equal(t.frames.length, 5);
    variants.forEach((f, i) => assert.equal(t.intern([{ ...f }]), i));
    // A stack of frames met before: only the stack is new.
    assert.equal(t.intern([variants[3], variants[1], variants[0]]), 5);
    assert.equal(t.frames.length, 5);
    assert.deepEqual(t.get(5), [variants[3], variants[1], variants[0]]);
  });
});
