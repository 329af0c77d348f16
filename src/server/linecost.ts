// Per-line cost of an open profile for the Go editors: core's line costs for the sample
// type (and filters) the profile editor shows, on the workspace files they map to.
import { lineCosts } from '../core/pprof/linecost';
import type { Profile } from '../core/pprof/model';
import { stacks } from '../core/pprof/stacks';
import type { LineCostsParams, LineCostsResult } from '../protocol/linecost';
import { toError } from './profiles';

export function profileLineCosts(profile: Profile | undefined, params: LineCostsParams, map: (buildPath: string) => string | undefined): LineCostsResult {
  if (!profile) return { ok: false, error: toError(new Error(`profile ${params.id} is not open`)) };
  try {
    if (params.sampleIndex < 0 || params.sampleIndex >= profile.sampleTypes.length) throw new RangeError(`sample type ${params.sampleIndex} is not in this profile`);
    const costs = lineCosts(stacks(profile, params.sampleIndex, params.filters));
    const files = [];
    for (const f of costs.files) {
      const path = map(f.file);
      if (path) files.push({ file: f.file, path, lines: f.lines });
    }
    const st = profile.sampleTypes[params.sampleIndex];
    return { ok: true, total: costs.total, unit: st.unit, sampleType: st.type, files };
  } catch (e) {
    return { ok: false, error: toError(e) };
  }
}
