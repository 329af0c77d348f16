// Per-line cost of an open profile for the Go editors: core's line costs for the sample
// type (and filters) the profile editor shows, on the workspace files they map to.
import { lineCosts } from '../core/pprof/linecost';
import type { Profile } from '../core/pprof/model';
import { stacks } from '../core/pprof/stacks';
import type { LineCostsParams, LineCostsResult } from '../protocol/linecost';
import { toError } from './profiles';

export function profileLineCosts(profile: Profile | undefined, params: LineCostsParams, map: (buildPath: string) => string | undefined): LineCostsResult {
  return mapLineCosts(unmappedLineCosts(profile, params), map);
}

/** Every file's costs, each `path` still its build path: computed where the profile is (the worker). */
export function unmappedLineCosts(profile: Profile | undefined, params: LineCostsParams): LineCostsResult {
  if (!profile) return { ok: false, error: toError(new Error(`profile ${params.id} is not open`)) };
  try {
    if (params.sampleIndex < 0 || params.sampleIndex >= profile.sampleTypes.length) throw new RangeError(`sample type ${params.sampleIndex} is not in this profile`);
    const costs = lineCosts(stacks(profile, params.sampleIndex, params.filters));
    const st = profile.sampleTypes[params.sampleIndex];
    return { ok: true, total: costs.total, unit: st.unit, sampleType: st.type, files: costs.files.map((f) => ({ file: f.file, path: f.file, lines: f.lines })) };
  } catch (e) {
    return { ok: false, error: toError(e) };
  }
}

/** The files mapped to the workspace (where the workspace's sources are known: the server's main thread); the rest left out. */
export function mapLineCosts(res: LineCostsResult, map: (buildPath: string) => string | undefined): LineCostsResult {
  if (!res.ok) return res;
  const files = [];
  for (const f of res.files) {
    const path = map(f.file);
    if (path) files.push({ file: f.file, path, lines: f.lines });
  }
  return { ...res, files };
}
