// The old trace format's event types (Go 1.11–1.21 runtime/trace.go) and what each
// carries: how many arguments after the timestamp, whether a stack id comes last, and
// the first header version that may contain it.

export const enum Ev {
  None = 0,
  Batch = 1,
  Frequency = 2,
  Stack = 3,
  Gomaxprocs = 4,
  ProcStart = 5,
  ProcStop = 6,
  GCStart = 7,
  GCDone = 8,
  STWStart = 9,
  STWDone = 10,
  GCSweepStart = 11,
  GCSweepDone = 12,
  GoCreate = 13,
  GoStart = 14,
  GoEnd = 15,
  GoStop = 16,
  GoSched = 17,
  GoPreempt = 18,
  GoSleep = 19,
  GoBlock = 20,
  GoUnblock = 21,
  GoBlockSend = 22,
  GoBlockRecv = 23,
  GoBlockSelect = 24,
  GoBlockSync = 25,
  GoBlockCond = 26,
  GoBlockNet = 27,
  GoSysCall = 28,
  GoSysExit = 29,
  GoSysBlock = 30,
  GoWaiting = 31,
  GoInSyscall = 32,
  HeapAlloc = 33,
  HeapGoal = 34,
  TimerGoroutine = 35,
  FutileWakeup = 36,
  String = 37,
  GoStartLocal = 38,
  GoUnblockLocal = 39,
  GoSysExitLocal = 40,
  GoStartLabel = 41,
  GoBlockGC = 42,
  GCMarkAssistStart = 43,
  GCMarkAssistDone = 44,
  UserTaskCreate = 45,
  UserTaskEnd = 46,
  UserRegion = 47,
  UserLog = 48,
  CPUSample = 49,
  Count = 50,
}

/** [name, first header minor, has a stack id, number of arguments besides timestamp and stack]. */
const TABLE: [string, number, boolean, number][] = [
  ['None', 5, false, 0],
  ['Batch', 5, false, 2],
  ['Frequency', 5, false, 1],
  ['Stack', 5, false, 2],
  ['Gomaxprocs', 5, true, 1],
  ['ProcStart', 5, false, 1],
  ['ProcStop', 5, false, 0],
  ['GCStart', 5, true, 1],
  ['GCDone', 5, false, 0],
  ['GCSTWStart', 5, false, 1],
  ['GCSTWDone', 5, false, 0],
  ['GCSweepStart', 5, true, 0],
  ['GCSweepDone', 5, false, 2],
  ['GoCreate', 5, true, 2],
  ['GoStart', 5, false, 2],
  ['GoEnd', 5, false, 0],
  ['GoStop', 5, true, 0],
  ['GoSched', 5, true, 0],
  ['GoPreempt', 5, true, 0],
  ['GoSleep', 5, true, 0],
  ['GoBlock', 5, true, 0],
  ['GoUnblock', 5, true, 2],
  ['GoBlockSend', 5, true, 0],
  ['GoBlockRecv', 5, true, 0],
  ['GoBlockSelect', 5, true, 0],
  ['GoBlockSync', 5, true, 0],
  ['GoBlockCond', 5, true, 0],
  ['GoBlockNet', 5, true, 0],
  ['GoSysCall', 5, true, 0],
  ['GoSysExit', 5, false, 3],
  ['GoSysBlock', 5, false, 0],
  ['GoWaiting', 5, false, 1],
  ['GoInSyscall', 5, false, 1],
  ['HeapAlloc', 5, false, 1],
  ['HeapGoal', 5, false, 1],
  ['TimerGoroutine', 5, false, 1],
  ['FutileWakeup', 5, false, 0],
  ['String', 7, false, 0],
  ['GoStartLocal', 7, false, 1],
  ['GoUnblockLocal', 7, true, 1],
  ['GoSysExitLocal', 7, false, 2],
  ['GoStartLabel', 8, false, 3],
  ['GoBlockGC', 8, true, 0],
  ['GCMarkAssistStart', 9, true, 0],
  ['GCMarkAssistDone', 9, false, 0],
  ['UserTaskCreate', 11, true, 3],
  ['UserTaskEnd', 11, true, 1],
  ['UserRegion', 11, true, 3],
  ['UserLog', 11, true, 2],
  ['CPUSample', 19, true, 3],
];

export const EV_NAME: readonly string[] = TABLE.map((t) => t[0]);
export const EV_MIN_MINOR = Uint8Array.from(TABLE, (t) => t[1]);
export const EV_HAS_STACK = Uint8Array.from(TABLE, (t) => (t[2] ? 1 : 0));

/**
 * How many values the wire holds for an event: its arguments, the stack id if any, and
 * the timestamp delta first — except for the untimed Batch, Frequency and TimerGoroutine.
 * (Stack events are variable-length and checked on their own.)
 */
export const EV_WIRE_ARGS = Uint8Array.from(TABLE, (t, typ) => {
  let n = t[3] + (t[2] ? 1 : 0);
  if (typ !== Ev.Batch && typ !== Ev.Frequency && typ !== Ev.TimerGoroutine) n++;
  return n;
});

/** Header minors the old-format reader accepts (the reference refuses 1.5–1.10). */
export const SUPPORTED_MINORS: readonly number[] = [11, 19, 21];

/** The reasons a stop-the-world may carry, indexed as the 1.21 runtime numbers them. */
export const STW_REASONS: readonly string[] = [
  '', 'GC mark termination', 'GC sweep termination', 'write heap dump', 'goroutine profile',
  'goroutine profile cleanup', 'all goroutine stack trace', 'read mem stats', 'AllThreadsSyscall',
  'GOMAXPROCS', 'start trace', 'stop trace', 'CountPagesInUse (test)', 'ReadMetricsSlow (test)',
  'ReadMemStatsSlow (test)', 'PageCachePagesLeaked (test)', 'ResetDebugLog (test)',
];

/** The STW reason for a kind id: before 1.21 only 0 (mark termination) and 1 (sweep termination) exist. */
export function stwReason(minor: number, kind: number): string {
  if (minor < 21) return kind === 0 || kind === 1 ? STW_REASONS[kind + 1] : '';
  return kind < STW_REASONS.length ? STW_REASONS[kind] : '';
}

/** Fake procs the reference moves some events to. */
export const TIMER_P = 1000001;
export const NETPOLL_P = 1000002;
export const SYSCALL_P = 1000003;
export const GC_P = 1000004;
export const PROFILE_P = 1000005;
