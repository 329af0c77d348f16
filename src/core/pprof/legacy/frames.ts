// Go's debug=1 text profiles follow each sample with one "#\t0xPC\tfunc+0xoff\tfile:line"
// comment per frame (runtime/pprof's printStackRecord). pprof ignores them; GoLens names the
// sample's locations with them. A comment's PC is its stack slot's address stepped back onto
// the call (as callSite), so a comment whose PC is a later slot's starts that slot; one whose
// PC is no slot's is an inlined caller Go expanded from the slot before it (an extra line of
// the same location, innermost first).
import { callSite, type RawLocation, type RawSample } from './raw';

// Go's tabwriter pads the columns with extra tabs; a frame with no function is "#\t0xPC".
const FRAME = /^#\t+0x([0-9a-f]{1,16})\t+(.+?)\+0x[0-9a-f]+\t+(.*):(\d+)\s*$/;
const BARE = /^#\t+0x([0-9a-f]{1,16})\s*$/;

export interface CommentFrame { pc: bigint; fn?: string; file: string; line: number }

/** The frame a "#\t0xPC\tfunc+0xoff\tfile:line" (or bare "#\t0xPC") comment names, or undefined. */
export function frameComment(line: string): CommentFrame | undefined {
  const b = BARE.exec(line);
  if (b) return { pc: BigInt('0x' + b[1]), file: '', line: 0 };
  const m = FRAME.exec(line);
  if (!m) return undefined;
  const n = Number(m[4]);
  if (!Number.isSafeInteger(n)) return undefined;
  return { pc: BigInt('0x' + m[1]), fn: m[2], file: m[3], line: n };
}

/** Names one sample's locations from the frame comments that follow it in the file. */
export class FrameNamer {
  private slot = -1;
  /** The slots a comment showed. */
  private readonly shown = new Set<number>();
  /** The slot each location got its lines in, in this sample. */
  private readonly filled = new Map<RawLocation, number>();

  constructor(private readonly sample: RawSample, private readonly addrs: bigint[]) {}

  add(f: CommentFrame): void {
    let j = this.slot + 1;
    // Go backs a PC up onto its call unless that would leave the function (pc == entry).
    while (j < this.addrs.length && callSite(this.addrs[j]) !== f.pc && this.addrs[j] !== f.pc) j++;
    if (j < this.addrs.length) this.slot = j;
    else if (this.slot < 0) return;
    this.shown.add(this.slot);
    const loc = this.sample.locs[this.slot];
    // A location named before (by another sample, or an earlier slot of a recursive stack)
    // keeps its lines: the same PC has the same frames.
    if (f.fn === undefined || (loc.lines.length > 0 && this.filled.get(loc) !== this.slot)) return;
    this.filled.set(loc, this.slot);
    loc.lines.push({ fn: f.fn, file: f.file, line: f.line });
  }

  /**
   * Drops the slots no comment showed: Go hides runtime.goexit and the runtime frames a
   * stack starts with (allocation, parking), as its protobuf heap profile does. A sample
   * with no frame comments keeps every slot.
   */
  finish(): void {
    if (this.shown.size === 0 || this.shown.size === this.addrs.length) return;
    this.sample.locs = this.sample.locs.filter((_, i) => this.shown.has(i));
  }
}
