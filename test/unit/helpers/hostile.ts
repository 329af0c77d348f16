// Hostile but valid profiles, built byte by byte: one sample whose stack is `depth` frames
// deep, every frame the same function (deep recursion) or each a different one.
import { Writer } from 'protobufjs/minimal';
import { gzipSync } from 'node:zlib';

export function deepStackProfile(depth: number, distinct: boolean, gzip = true): Uint8Array {
  const functions = distinct ? depth : 1;
  const w = Writer.create();
  // sample_type: cpu/nanoseconds (strings 1, 2)
  w.uint32((1 << 3) | 2).fork().uint32(8).int64(1).uint32(16).int64(2).ldelim();
  // sample: location ids, leaf first; value 1e6 ns
  w.uint32((2 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).fork();
  for (let i = 0; i < depth; i++) w.uint64(distinct ? i + 1 : 1);
  w.ldelim();
  w.uint32((2 << 3) | 2).fork().int64(1e6).ldelim();
  w.ldelim();
  for (let f = 1; f <= functions; f++) {
    // location f → function f, line 10
    w.uint32((4 << 3) | 2).fork().uint32(8).uint64(f).uint32((4 << 3) | 2).fork().uint32(8).uint64(f).uint32(16).int64(10).ldelim().ldelim();
    // function f: name string 3+2(f-1), file string 4+2(f-1)
    w.uint32((5 << 3) | 2).fork().uint32(8).uint64(f).uint32(16).int64(3 + 2 * (f - 1)).uint32(32).int64(4 + 2 * (f - 1)).uint32(40).int64(1).ldelim();
  }
  const strings = ['', 'cpu', 'nanoseconds'];
  for (let f = 1; f <= functions; f++) strings.push(distinct ? `main.f${f}` : 'main.recurse', '/src/app/main.go');
  for (const s of strings) w.uint32((6 << 3) | 2).string(s);
  // period_type and period, as Go writes them
  w.uint32((11 << 3) | 2).fork().uint32(8).int64(1).uint32(16).int64(2).ldelim();
  w.uint32(12 << 3).int64(1e7);
  const raw = w.finish();
  return gzip ? gzipSync(raw) : raw;
}
