// GODEBUG=schedtrace=N[,scheddetail=1] logs: one `SCHED <ms>ms: key=value …` line every N ms
// (the bracket lists each P's local run queue), and with scheddetail a block of per-P, per-M
// and per-G lines after each. Other output may be interleaved (it is the program's stderr):
// lines that are not the scheduler's are skipped, and so is a SCHED line too broken to read.
import { FormatError } from '../errors';

export interface SchedProc {
  id: number;
  /** _Pidle 0, _Prunning 1, _Psyscall 2, _Pgcstop 3, _Pdead 4. */
  status: number;
  schedtick: number;
  syscalltick: number;
  /** The thread holding it (-1: none). */
  m: number;
  runqsize: number;
}

export interface SchedThread {
  id: number;
  /** Proc and goroutine (-1: none). */
  p: number;
  curg: number;
  spinning: boolean;
  blocked: boolean;
}

export interface SchedGoroutine {
  id: number;
  /** The runtime's status (_Grunnable 1, _Grunning 2, _Gsyscall 3, _Gwaiting 4, _Gdead 6, _Gpreempted 9…), without the scan bit. */
  status: number;
  /** The wait reason in parentheses ('' if none). */
  reason: string;
  m: number;
}

export interface SchedSample {
  /** Milliseconds since the program started, as printed. */
  timeMs: number;
  gomaxprocs: number;
  idleProcs: number;
  threads: number;
  spinningThreads: number;
  idleThreads: number;
  /** Length of the global run queue. */
  runqueue: number;
  /** Each P's local run queue (from the bracket list, or the P lines with scheddetail). */
  localRunqueues: number[];
  /** Every key=value of the SCHED line, as printed (needspinning, gcwaiting, schedticks, …). */
  fields: Record<string, string>;
  /** scheddetail=1 only. */
  procs?: SchedProc[];
  threadList?: SchedThread[];
  goroutines?: SchedGoroutine[];
}

export interface Schedtrace {
  samples: SchedSample[];
  /** Whether the log has scheddetail blocks. */
  detail: boolean;
  /** SCHED lines that could not be read (e.g. cut by other output). */
  skipped: number;
}

const SCHED = /SCHED (\d+)ms: (.*)$/;
const REQUIRED = ['gomaxprocs', 'idleprocs', 'threads', 'runqueue'] as const;

/** Whether text looks like a schedtrace log (a SCHED line within its first lines). */
export function isSchedtrace(text: string): boolean {
  return /(^|\n)[^\n]*SCHED \d+ms: gomaxprocs=\d/.test(text.slice(0, 64 * 1024));
}

function num(v: string | undefined): number {
  if (v === undefined || v === 'nil' || v === '') return -1;
  const n = Number(v);
  return Number.isFinite(n) ? n : -1;
}

function keyValues(s: string): { kv: Record<string, string>; bare: string[] } {
  const kv: Record<string, string> = {};
  const bare: string[] = [];
  const re = /(\w+)=(\[[^\]]*\]|\S*)|(\[[^\]]*\])/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[1] !== undefined) kv[m[1]] = m[2];
    else bare.push(m[3]);
  }
  return { kv, bare };
}

function list(bracket: string): number[] | undefined {
  const inner = bracket.slice(1, -1).trim();
  if (!inner) return [];
  const out = inner.split(/\s+/).map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

function parseSchedLine(timeMs: number, rest: string): SchedSample | undefined {
  const { kv, bare } = keyValues(rest);
  for (const k of REQUIRED) if (!/^\d+$/.test(kv[k] ?? '')) return undefined;
  const local = bare.length ? list(bare[0]) : [];
  if (!local) return undefined;
  return {
    timeMs, gomaxprocs: Number(kv.gomaxprocs), idleProcs: Number(kv.idleprocs), threads: Number(kv.threads),
    spinningThreads: num(kv.spinningthreads), idleThreads: num(kv.idlethreads), runqueue: Number(kv.runqueue),
    localRunqueues: local, fields: kv,
  };
}

/** Parses a schedtrace log. Throws FormatError when it holds no readable SCHED line. */
export function parseSchedtrace(text: string): Schedtrace {
  const samples: SchedSample[] = [];
  let skipped = 0, detail = false, offset = 0, firstBad = -1;
  let cur: SchedSample | undefined;
  for (const line of text.split('\n')) {
    const at = offset;
    offset += line.length + 1;
    const m = SCHED.exec(line);
    if (m) {
      cur = parseSchedLine(Number(m[1]), m[2].trimEnd());
      if (cur) samples.push(cur);
      else { skipped++; if (firstBad < 0) firstBad = at; }
      continue;
    }
    if (!cur) continue;
    const d = /^\s+([PMG])(\d+): (.*)$/.exec(line.trimEnd());
    if (!d) continue;
    const id = Number(d[2]);
    const { kv } = keyValues(d[3]);
    if (d[1] === 'P') {
      detail = true;
      (cur.procs ??= []).push({
        id, status: num(kv.status), schedtick: num(kv.schedtick), syscalltick: num(kv.syscalltick), m: num(kv.m), runqsize: num(kv.runqsize),
      });
    } else if (d[1] === 'M') {
      detail = true;
      (cur.threadList ??= []).push({ id, p: num(kv.p), curg: num(kv.curg), spinning: kv.spinning === 'true', blocked: kv.blocked === 'true' });
    } else {
      detail = true;
      const st = /^status=(\d+)\(([^)]*)\)/.exec(d[3]);
      (cur.goroutines ??= []).push({ id, status: st ? Number(st[1]) & ~0x1000 : -1, reason: st ? st[2] : '', m: num(kv.m) });
    }
  }
  for (const s of samples) {
    // With scheddetail the SCHED line has no bracket list; the P lines have the queues.
    if (s.localRunqueues.length === 0 && s.procs) s.localRunqueues = s.procs.map((p) => Math.max(0, p.runqsize));
  }
  if (!samples.length) {
    if (firstBad >= 0) throw new FormatError('no readable SCHED line in the schedtrace log', firstBad, 'a line reads `SCHED 1004ms: gomaxprocs=2 idleprocs=0 threads=5 … runqueue=0 [0 0]`');
    throw new FormatError('not a schedtrace log: no `SCHED <n>ms: gomaxprocs=…` line', 0, 'run the program with GODEBUG=schedtrace=1000 and keep its standard error');
  }
  return { samples, detail, skipped };
}
