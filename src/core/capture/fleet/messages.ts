// The few protobuf messages GoLens sends to and reads from continuous profilers, described
// by hand with only the fields used (names and numbers from the projects' .proto files, see
// docs/CAPTURE.md for the versions followed). Unknown fields in answers are skipped.
import { Root, type Type } from 'protobufjs/light';

const root = Root.fromJSON({
  nested: {
    // Grafana Pyroscope: api/querier/v1/querier.proto, api/types/v1/types.proto.
    pyroscope: {
      nested: {
        ProfileTypesRequest: { fields: { start: { type: 'int64', id: 1 }, end: { type: 'int64', id: 2 } } },
        ProfileType: {
          fields: {
            ID: { type: 'string', id: 1 }, name: { type: 'string', id: 2 }, sampleType: { type: 'string', id: 4 },
            sampleUnit: { type: 'string', id: 5 }, periodType: { type: 'string', id: 6 }, periodUnit: { type: 'string', id: 7 },
          },
        },
        ProfileTypesResponse: { fields: { profileTypes: { rule: 'repeated', type: 'ProfileType', id: 1 } } },
        LabelNamesRequest: {
          fields: { matchers: { rule: 'repeated', type: 'string', id: 1 }, start: { type: 'int64', id: 2 }, end: { type: 'int64', id: 3 } },
        },
        LabelValuesRequest: {
          fields: {
            name: { type: 'string', id: 1 }, matchers: { rule: 'repeated', type: 'string', id: 2 },
            start: { type: 'int64', id: 3 }, end: { type: 'int64', id: 4 },
          },
        },
        NamesResponse: { fields: { names: { rule: 'repeated', type: 'string', id: 1 } } },
        SelectMergeProfileRequest: {
          fields: {
            profileTypeID: { type: 'string', id: 1 }, labelSelector: { type: 'string', id: 2 },
            start: { type: 'int64', id: 3 }, end: { type: 'int64', id: 4 },
          },
        },
      },
    },
    // Parca: proto/parca/query/v1alpha1/query.proto and google/protobuf/timestamp.proto.
    parca: {
      nested: {
        Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
        ProfileTypesRequest: { fields: { start: { type: 'Timestamp', id: 1 }, end: { type: 'Timestamp', id: 2 } } },
        ProfileType: {
          fields: {
            name: { type: 'string', id: 1 }, sampleType: { type: 'string', id: 2 }, sampleUnit: { type: 'string', id: 3 },
            periodType: { type: 'string', id: 4 }, periodUnit: { type: 'string', id: 5 }, delta: { type: 'bool', id: 6 },
          },
        },
        ProfileTypesResponse: { fields: { types: { rule: 'repeated', type: 'ProfileType', id: 1 } } },
        MergeProfile: { fields: { query: { type: 'string', id: 1 }, start: { type: 'Timestamp', id: 2 }, end: { type: 'Timestamp', id: 3 } } },
        QueryRequest: { fields: { mode: { type: 'int32', id: 1 }, merge: { type: 'MergeProfile', id: 3 }, reportType: { type: 'int32', id: 5 } } },
        QueryResponse: { fields: { pprof: { type: 'bytes', id: 6 }, total: { type: 'int64', id: 9 } } },
        LabelsRequest: {
          fields: { match: { rule: 'repeated', type: 'string', id: 1 }, start: { type: 'Timestamp', id: 2 }, end: { type: 'Timestamp', id: 3 } },
        },
        LabelsResponse: { fields: { labelNames: { rule: 'repeated', type: 'string', id: 1 } } },
        ValuesRequest: {
          fields: {
            labelName: { type: 'string', id: 1 }, match: { rule: 'repeated', type: 'string', id: 2 },
            start: { type: 'Timestamp', id: 3 }, end: { type: 'Timestamp', id: 4 },
          },
        },
        ValuesResponse: { fields: { labelValues: { rule: 'repeated', type: 'string', id: 1 } } },
      },
    },
  },
});

export function message(name: string): Type {
  return root.lookupType(name);
}

/** Encodes a plain object as the named message. */
export function encodeMessage(name: string, value: Record<string, unknown>): Uint8Array {
  const t = message(name);
  return t.encode(t.fromObject(value)).finish();
}

/** Decodes the named message into plain values (int64 as numbers, bytes as Uint8Array). */
export function decodeMessage<T>(name: string, bytes: Uint8Array): T {
  const t = message(name);
  return t.toObject(t.decode(bytes), { longs: Number, defaults: true, arrays: true }) as T;
}

/** Parca's QueryRequest.Mode and ReportType values used. */
export const PARCA_MODE_MERGE = 2;
export const PARCA_REPORT_TYPE_PPROF = 1;

/** google.protobuf.Timestamp from milliseconds. */
export function timestamp(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}
