// Go's debug=1 text profiles follow each sample with one "#\t0xPC\tfunc+0xoff\tfile:line"
// comment per frame (runtime/pprof's printStackRecord). pprof ignores them; GoLens names the
// sample's locations with them. The comment's PC is the stack slot's address stepped back
// onto the call (the same as callSite), so a comment whose PC is a later slot's starts that
// slot; one whose PC is no slot's is an inlined caller Go expanded from the slot before it
// (an extra line of the same location, innermost first). Go hides goexit and leading runtime
// frames, so their slots keep no lines.
import { callSite, type RawLocation } from './raw';

// Go's tabwriter pads the columns with extra tabs; a frame with no function is "#\t0xPC".
const FRAME = /^#\t+0x([0-9a-f]+)\t+(.+?)\+0x[0-9a-f]+\t+(.*):(\d+)\s*$/;

export interface CommentFrame { pc: bigint; fn: string; file: string; line: number }

/** The frame a "#\t0xPC\tfunc+0xoff\tfile:line" comment names, or undefined. */
export function frameComment(line: string): CommentFrame | undefined {
  const m = FRAME.exec(line);
  if (!m || m[1].length > 16) return undefined;
  const n = Number(m[4]);
  if (!Number.isSafeInteger(n)) return undefined;
  return { pc: BigInt('0x' + m[1]), fn: m[2], file: m[3], line: n };
}

/** Names one sample's locations from the frame comments that follow it in the file. */
export class FrameNamer {
  private slot = -1;
  /** The slot each location got its lines in, in this sample. */
  private readonly filled = new Map<RawLocation, number>();

  constructor(private readonly stack: RawLocation[], private readonly addrs: bigint[]) {}

  add(f: CommentFrame): void {
    let j = this.slot + 1;
    // Go backs a PC up onto its call unless that would leave the function (pc == entry).
    while (j < this.addrs.length && callSite(this.addrs[j]) !== f.pc && this.addrs[j] !== f.pc) j++;
    if (j < this.addrs.length) this.slot = j;
    else if (this.slot < 0) return;
    const loc = this.stack[this.slot];
    // A location named before (by another sample, or an earlier slot of a recursive stack)
    // keeps its lines: the same PC has the same frames.
    if (loc.lines.length > 0 && this.filled.get(loc) !== this.slot) return;
    this.filled.set(loc, this.slot);
    loc.lines.push({ fn: f.fn, file: f.file, line: f.line });
  }
}
