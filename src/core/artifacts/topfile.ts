// golens top's unfiltered path over a gzip'd profile: two streaming passes and no samples held.
// Go writes the samples before the locations and functions they name, so the first pass keeps
// only the tables; the second hands each sample straight to the top walk. The file is never
// held whole, inflated or packed: the peak is what zlib and the tables need.
import { inflateFileChunks } from '../io/inflatestream';
import { isGzip } from '../pprof/decode';
import { DEFAULT_MAX_BYTES } from '../pprof/inflate';
import type { Profile } from '../pprof/model';
import { ProfileStream } from '../pprof/stream';
import type { Granularity, TopResult } from '../pprof/top';
import { TopWalk } from '../pprof/toppacked';
import { type LoadOptions, withArtifact } from './load';
import { profileFormat } from './sniff';

export interface FileTop {
  /** The profile's tables (no samples): its sample types, times and names. */
  profile: Profile;
  sampleIndex: number;
  top: TopResult;
}

/**
 * The unfiltered top of one profile file, or undefined when the file is not one gzip'd protobuf
 * profile read plainly: the caller then reads it the ordinary way, which says what is wrong.
 * `pick` chooses the sample type from the tables (its errors are the caller's).
 */
export async function topFromFile(path: string, opts: LoadOptions, pick: (p: Profile) => number, g: Granularity): Promise<FileTop | undefined> {
  let plain = false;
  try {
    withArtifact(path, opts, (a) => { plain = a.kind === 'profile' && isGzip(a.head) && profileFormat(a.contentHead) !== 'legacy' && a.size >= 18; });
  } catch {
    return undefined;
  }
  if (!plain) return undefined;
  const limit = opts.maxBytes !== undefined && opts.maxBytes >= 0 ? opts.maxBytes : DEFAULT_MAX_BYTES;
  const tables = new ProfileStream(0, 'skip');
  if (!await inflateFileChunks(path, limit, (c) => { tables.push(c); return tables.ok; })) return undefined;
  const profile = tables.finish();
  if (!profile) return undefined;
  const sampleIndex = pick(profile);
  const walk = new TopWalk(profile, g);
  const samples = new ProfileStream(0, {
    ids: (ids, n, values) => walk.add(ids, n, values[sampleIndex]),
    packed: (buf, from, to, values) => walk.addPacked(buf, from, to, values[sampleIndex]),
  });
  if (!await inflateFileChunks(path, limit, (c) => { samples.push(c); return samples.ok; })) return undefined;
  // The same file both times: as many samples, and the stream complete.
  if (!samples.complete || samples.samples !== tables.samples) return undefined;
  return { profile, sampleIndex, top: walk.result() };
}
