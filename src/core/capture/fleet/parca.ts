// Parca's QueryService over gRPC-web (what Parca's own UI speaks, under /api): ProfileTypes
// and Values for the pickers, Query in MODE_MERGE with REPORT_TYPE_PPROF for the merged pprof.
import { grpcWebUnary } from './rpc';
import { decodeMessage, encodeMessage, PARCA_MODE_MERGE, PARCA_REPORT_TYPE_PPROF, timestamp } from './messages';
import { FleetError } from './rpc';
import type { FleetClient, FleetProfileType } from './types';

const SERVICE = '/api/parca.query.v1alpha1.QueryService/';

interface ParcaType { name: string; sampleType: string; sampleUnit: string; periodType: string; periodUnit: string; delta: boolean }

/** Parca's profile type id, as its UI writes it into queries: `name:sample_type:sample_unit:period_type:period_unit[:delta]`. */
export function parcaTypeId(t: ParcaType): string {
  return `${t.name}:${t.sampleType}:${t.sampleUnit}:${t.periodType}:${t.periodUnit}${t.delta ? ':delta' : ''}`;
}

export const parca: FleetClient = {
  kind: 'parca',
  title: 'Parca',
  async profileTypes(base, range, o): Promise<FleetProfileType[]> {
    const req = encodeMessage('parca.ProfileTypesRequest', range ? { start: timestamp(range.startMs), end: timestamp(range.endMs) } : {});
    const res = decodeMessage<{ types: ParcaType[] }>('parca.ProfileTypesResponse', await grpcWebUnary(base, `${SERVICE}ProfileTypes`, req, o));
    return res.types.map((t) => ({ id: parcaTypeId(t), name: t.name, sampleType: t.sampleType, sampleUnit: t.sampleUnit }));
  },
  async labelValues(base, label, range, o) {
    const req = encodeMessage('parca.ValuesRequest', { labelName: label, start: timestamp(range.startMs), end: timestamp(range.endMs) });
    return decodeMessage<{ labelValues: string[] }>('parca.ValuesResponse', await grpcWebUnary(base, `${SERVICE}Values`, req, o)).labelValues;
  },
  async selectMerge(base, q, o) {
    const req = encodeMessage('parca.QueryRequest', {
      mode: PARCA_MODE_MERGE,
      reportType: PARCA_REPORT_TYPE_PPROF,
      merge: { query: `${q.type}${q.selector}`, start: timestamp(q.range.startMs), end: timestamp(q.range.endMs) },
    });
    const res = decodeMessage<{ pprof: Uint8Array }>('parca.QueryResponse', await grpcWebUnary(base, `${SERVICE}Query`, req, o));
    if (!(res.pprof instanceof Uint8Array)) throw new FleetError('Parca answered Query without a pprof report');
    return res.pprof;
  },
};
