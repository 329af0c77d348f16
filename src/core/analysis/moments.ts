// Goroutine snapshots grouped into moments: the growth rule judges a program over time, so a
// profile and a dump of one moment (the same capture in two formats) are one step of the
// series, not two. A profile knows its time (time_nanos); a dump's text has no clock (its
// header's "N minutes" is relative), so a dump has a time only when its file name carries the
// UTC stamp `golens capture` and `golens watch` write (20261202T160501Z).

/** What grouping needs of a snapshot. */
export interface Timed {
  source: string;
  /** ns since 1970, when the input knows it. */
  time?: number;
  /** The time is a file name's stamp, to the second: it orders, but two equal stamps may be two rounds (a watch takes several a second). */
  coarse?: boolean;
}

/** A stamp in a file name as utcStamp writes it, as ns since 1970; undefined when there is none. */
export function stampTime(source: string): number | undefined {
  const m = /(?:^|[^0-9])(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:[^0-9]|$)/.exec(baseName(source));
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isFinite(ms) ? ms * 1e6 : undefined;
}

/**
 * The snapshots as moments, oldest first: by time when every moment has one, else in the
 * order given. Two snapshots are one moment when they have the same exact time, or when their
 * files differ only by the format's extension (leakprof-1.pprof and leakprof-1.txt; a watch's
 * 003-…-goroutine.pprof and 003-…-goroutine.txt). The same file given twice stays two.
 */
export function groupMoments<T extends Timed>(snaps: T[]): T[][] {
  const moments: T[][] = [];
  const timeOf = (m: T[]) => (m.find((s) => s.time !== undefined && !s.coarse) ?? m.find((s) => s.time !== undefined))?.time;
  for (const s of snaps) {
    const same = moments.find((m) => m.some((o) => sameMoment(o, s)) && !m.some((o) => o.source === s.source));
    if (same) same.push(s); else moments.push([s]);
  }
  if (moments.every((m) => timeOf(m) !== undefined)) return moments.slice().sort((a, b) => timeOf(a)! - timeOf(b)!);
  return moments;
}

function sameMoment(a: Timed, b: Timed): boolean {
  if (a.time !== undefined && a.time === b.time && !a.coarse && !b.coarse) return true;
  const x = split(a.source), y = split(b.source);
  return x.stem === y.stem && x.ext !== y.ext;
}

/** A source's path without the extension of a profile or dump format, and that extension. */
function split(source: string): { stem: string; ext: string } {
  const m = /\.(?:pb\.gz|pprof|prof|pb|gz|txt|log|out|dump)$/i.exec(source);
  return m ? { stem: source.slice(0, m.index), ext: m[0].toLowerCase() } : { stem: source, ext: '' };
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
