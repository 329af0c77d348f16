// Decode only: a trace read to its end through openTrace (no replay, no analysis), the way the
// CLI reads it (from the file, lazily). Prints the events, the wall and CPU time of the read
// and, with --hash, a hash of every column, string and frame (old and new builds must print
// the same). Run: npm run build, then node dist/test/bench/decode.js <trace> [--hash]
import { createHash } from 'node:crypto';
import { fileSource } from '../../src/core/io/file';
import { openTrace } from '../../src/core/trace/open';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) { process.stderr.write('usage: decode <trace> [--hash]\n'); process.exit(2); }
const hashing = args.includes('--hash');
const hash = createHash('sha256');
const columns = ['kind', 'time', 'g', 'p', 'm', 'stack', 'r', 'a', 'b', 'c', 's1', 's2', 'stack2'] as const;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const reader = openTrace(fileSource(file));
let events = 0;
for (let ev = reader.next(); ev; ev = reader.next()) {
  events += ev.count;
  if (!hashing) continue;
  for (const k of columns) {
    const col = ev[k];
    hash.update(new Uint8Array(col.buffer, col.byteOffset, ev.count * col.BYTES_PER_ELEMENT));
  }
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
let line = `events ${events} decode ${(wall / 1000).toFixed(3)} s cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s`;
if (hashing) {
  hash.update(JSON.stringify(reader.strings.values));
  hash.update(JSON.stringify(reader.stacks.frames));
  line += ` hash ${hash.digest('hex').slice(0, 16)}`;
}
console.log(line);
