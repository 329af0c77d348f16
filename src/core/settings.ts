// Settings as their schema says they may be. VS Code does not enforce a contribution's
// schema on the values it hands out (a workspace can say `"golens.profile.topRows": 100000`),
// so every face reads its settings through here: out-of-range numbers are clamped, wrong
// types and unknown enum values fall back to the default, lists are cut to their maxItems.

export interface SettingSchema {
  type: 'number' | 'integer' | 'string' | 'boolean' | 'array';
  default: unknown;
  minimum?: number;
  maximum?: number;
  enum?: readonly string[];
  items?: { type: string };
  maxItems?: number;
}

/** One setting's value, made to fit its schema. */
export function fitSetting(schema: SettingSchema, raw: unknown): unknown {
  switch (schema.type) {
    case 'number':
    case 'integer': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return schema.default;
      let v = schema.type === 'integer' ? Math.trunc(raw) : raw;
      if (schema.minimum !== undefined) v = Math.max(schema.minimum, v);
      if (schema.maximum !== undefined) v = Math.min(schema.maximum, v);
      return v;
    }
    case 'string':
      if (typeof raw !== 'string') return schema.default;
      return schema.enum && !schema.enum.includes(raw) ? schema.default : raw;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : schema.default;
    case 'array': {
      if (!Array.isArray(raw)) return schema.default;
      const kept = schema.items?.type === 'string' ? raw.filter((x): x is string => typeof x === 'string') : raw;
      return schema.maxItems !== undefined ? kept.slice(0, schema.maxItems) : kept;
    }
  }
}

/**
 * Every setting of `schemas` (keys like `golens.profile.topRows`) from a getter of raw
 * values, fitted; settings the getter does not know take their default.
 */
export function fitSettings(schemas: Readonly<Record<string, SettingSchema>>, get: (key: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(schemas)) out[key] = fitSetting(schema, get(key));
  return out;
}

/** A value at a dotted path of a nested settings object (as the language server receives them). */
export function atPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
