// Grafana Pyroscope's querier over Connect: ProfileTypes and LabelValues for the pickers,
// SelectMergeProfile for the merged pprof (its google.v1.Profile is pprof's Profile, field for field).
import { connectUnary, type CallOptions } from './rpc';
import { decodeMessage, encodeMessage } from './messages';
import type { FleetClient, FleetProfileType } from './types';

const SERVICE = '/querier.v1.QuerierService/';

export const pyroscope: FleetClient = {
  kind: 'pyroscope',
  title: 'Pyroscope',
  async profileTypes(base, range, o: CallOptions): Promise<FleetProfileType[]> {
    const req = encodeMessage('pyroscope.ProfileTypesRequest', range ? { start: range.startMs, end: range.endMs } : {});
    const res = decodeMessage<{ profileTypes: { ID: string; name: string; sampleType: string; sampleUnit: string }[] }>(
      'pyroscope.ProfileTypesResponse', await connectUnary(base, `${SERVICE}ProfileTypes`, req, o));
    return res.profileTypes.map((t) => ({ id: t.ID, name: t.name, sampleType: t.sampleType, sampleUnit: t.sampleUnit }));
  },
  async labelValues(base, label, range, o) {
    const req = encodeMessage('pyroscope.LabelValuesRequest', { name: label, start: range.startMs, end: range.endMs });
    return decodeMessage<{ names: string[] }>('pyroscope.NamesResponse', await connectUnary(base, `${SERVICE}LabelValues`, req, o)).names;
  },
  async selectMerge(base, q, o) {
    const req = encodeMessage('pyroscope.SelectMergeProfileRequest', {
      profileTypeID: q.type, labelSelector: q.selector, start: q.range.startMs, end: q.range.endMs,
    });
    return connectUnary(base, `${SERVICE}SelectMergeProfile`, req, o);
  },
};
