// Text goroutine dumps, as the runtime prints them: /debug/pprof/goroutine?debug=2 and
// pprof.Lookup("goroutine").WriteTo(w, 2), panics, fatal errors and SIGQUIT. Blocks of
//
//   goroutine 18 [chan send, 5 minutes]:                    Go 1.19–1.27
//   goroutine 18 gp=0xc000007c00 m=nil [chan send]:         Go 1.23+ under GOTRACEBACK=system/crash, SIGQUIT
//   main.parkSend(0x0?)                                     frame: function(args), "(...)" when inlined
//   	golens.example/x/main.go:53 +0x25 fp=… sp=… pc=…     its file:line (+pc offset, frame registers at level system)
//   created by main.main in goroutine 1                     " in goroutine N" since Go 1.21
//   	golens.example/x/main.go:122 +0xc5
//
// separated by blank lines. Anything else around them (a panic message, "runtime stack:",
// SIGQUIT's registers, log lines before a crash) is ignored. FORMATS.md §3.
import { FormatError } from '../errors';

export interface DumpFrame {
  /** Function as printed, e.g. "main.(*Server).handle" or "main.main.func1". */
  fn: string;
  /** The argument words as printed, "..." for an inlined frame. */
  args: string;
  file: string;
  line: number;
  /** The pc's offset in the function (+0x25); undefined for inlined frames. */
  pcOffset?: number;
}

export interface DumpGoroutine {
  id: number;
  /** The wait reason or status in the brackets, without the suffixes below: "chan send", "running", "sync.Cond.Wait". */
  state: string;
  /** Minutes blocked (a floor, set lazily by the GC); 0 when the dump printed none (under a minute). */
  minutes: number;
  lockedToThread: boolean;
  /** "(leaked)": the goroutine-leak GC (Go 1.26+ goroutineleak profile) proved it can never run again. */
  leaked: boolean;
  /** Labels printed after the brackets (GODEBUG=tracebacklabels=1), as the text between the braces. */
  labels?: string;
  /** Innermost first, as printed. */
  frames: DumpFrame[];
  /** Frames the runtime left out ("...N frames elided..." / "...additional frames elided..."). */
  elided: boolean;
  /** The `go` statement that started it; null for goroutine 1 and for ones printed without it. */
  createdBy: { fn: string; file: string; line: number; goroutine?: number } | null;
  /** 1-based line of the header in the text. */
  textLine: number;
}

export interface GoroutineDump {
  goroutines: DumpGoroutine[];
  /** Non-empty lines before the first goroutine, e.g. "panic: boom" or "SIGQUIT: quit". */
  preamble: string[];
}

const HEADER = /^goroutine (\d+)((?: [a-z]+=\S*)*) \[([^\]]*)\](?: \{(.*)\})?:$/;
const LOCATION = /^\t(.+):(\d+)(?: \+0x([0-9a-f]+))?(?: fp=0x[0-9a-f]+ sp=0x[0-9a-f]+ pc=0x[0-9a-f]+)?$/;
const CREATED = /^created by (\S+?)(?: in goroutine (\d+))?$/;
const ELIDED = /^\.\.\.(?:\d+ |additional )frames elided\.\.\.$/;

/** Whether text has a goroutine header line (for sniffing file kinds; a panic may follow pages of logs). */
export function looksLikeGoroutineDump(text: string): boolean {
  return /(^|\n)goroutine \d+(?: [a-z]+=\S*)* \[[^\]\n]*\](?: \{[^\n]*\})?:\r?(\n|$)/.test(text);
}

/** Parses a goroutine dump. Throws FormatError when the text holds no goroutine at all. */
export function parseGoroutineDump(text: string): GoroutineDump {
  const lines = text.split('\n');
  const goroutines: DumpGoroutine[] = [];
  const preamble: string[] = [];
  let g: DumpGoroutine | undefined;
  // What the next line may be inside a block: a location after a frame or "created by" line.
  let expect: 'frame' | 'location' | 'created-location' = 'frame';
  let inAncestors = false;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const h = line.startsWith('goroutine ') ? HEADER.exec(line) : null;
    if (h) {
      g = header(h, i + 1);
      goroutines.push(g);
      expect = 'frame';
      inAncestors = false;
      continue;
    }
    if (!g) {
      if (line.trim() && goroutines.length === 0) preamble.push(line);
      continue;
    }
    if (line === '') {
      // A blank line ends the block (a frame's location never follows one).
      g = undefined;
      continue;
    }
    if (inAncestors) continue;
    if (expect === 'location' || expect === 'created-location') {
      const loc = LOCATION.exec(line);
      if (!loc) { g = undefined; continue; }
      if (expect === 'location') {
        const f = g.frames[g.frames.length - 1];
        f.file = loc[1];
        f.line = Number(loc[2]);
        if (loc[3] !== undefined) f.pcOffset = parseInt(loc[3], 16);
      } else if (g.createdBy) {
        g.createdBy.file = loc[1];
        g.createdBy.line = Number(loc[2]);
      }
      expect = 'frame';
      continue;
    }
    if (ELIDED.test(line)) { g.elided = true; continue; }
    if (line.startsWith('[originating from goroutine ')) { inAncestors = true; continue; }
    const c = line.startsWith('created by ') ? CREATED.exec(line) : null;
    if (c) {
      g.createdBy = { fn: c[1], file: '', line: 0 };
      if (c[2] !== undefined) g.createdBy.goroutine = Number(c[2]);
      expect = 'created-location';
      continue;
    }
    const f = frame(line);
    if (f) {
      g.frames.push(f);
      expect = 'location';
      continue;
    }
    // Anything else (registers, "exit status 2", a log line) ends the block.
    g = undefined;
  }

  if (goroutines.length === 0) {
    throw new FormatError('not a goroutine dump: no "goroutine N [state]:" line', 0,
      'a dump comes from /debug/pprof/goroutine?debug=2, pprof.Lookup("goroutine").WriteTo(w, 2), a panic or SIGQUIT');
  }
  return { goroutines, preamble };
}

function header(h: RegExpExecArray, textLine: number): DumpGoroutine {
  const parts = h[3].split(', ');
  let state = parts[0];
  let leaked = false;
  // Suffixes goroutineheader appends to the wait reason (the reason itself may end in
  // "(nil chan)", "(no cases)", "(idle)" or "(durable)", which are kept).
  for (;;) {
    if (state.endsWith(' (leaked)')) { leaked = true; state = state.slice(0, -' (leaked)'.length); continue; }
    if (state.endsWith(' (scan)')) { state = state.slice(0, -' (scan)'.length); continue; }
    break;
  }
  let minutes = 0;
  let lockedToThread = false;
  for (const p of parts.slice(1)) {
    const m = /^(\d+) minutes$/.exec(p);
    if (m) minutes = Number(m[1]);
    else if (p === 'locked to thread') lockedToThread = true;
  }
  const g: DumpGoroutine = {
    id: Number(h[1]), state, minutes, lockedToThread, leaked, frames: [], elided: false, createdBy: null, textLine,
  };
  if (h[4] !== undefined) g.labels = h[4];
  return g;
}

/** "pkg.fn(args)" → the function and its args; the args are the last parenthesized group. */
function frame(line: string): DumpFrame | undefined {
  if (!line.endsWith(')') || line.startsWith('\t') || line.startsWith(' ')) return undefined;
  const open = line.lastIndexOf('(');
  if (open <= 0) return undefined;
  const fn = line.slice(0, open);
  if (/\s/.test(fn)) return undefined;
  return { fn, args: line.slice(open + 1, -1), file: '', line: 0 };
}
