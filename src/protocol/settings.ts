// GoLens' settings, typed once for the extension and the language server, from the schema
// in package.json (the one place each setting is described) and fitted to it by core.
import manifest from '../../package.json';
import { atPath, fitSettings, type SettingSchema } from '../core/settings';

const SCHEMAS = manifest.contributes.configuration.properties as unknown as Record<string, SettingSchema>;

export interface GoLensSettings {
  'golens.profile.defaultGranularity': 'functions' | 'lines';
  'golens.profile.topRows': number;
  'golens.sourceRoots': string[];
  'golens.artifacts': string[];
  'golens.limits.maxBytes': number;
  'golens.escapes.enabled': boolean;
  'golens.escapes.showUnmeasured': boolean;
  'golens.escapes.timeoutSeconds': number;
  'golens.goPath': string;
  'golens.codeLens.leaks': boolean;
  'golens.codeLens.contention': boolean;
  'golens.codeLens.profile': boolean;
}

/** The settings from a getter by full key (the extension: `getConfiguration().get(key)`). */
export function readSettings(get: (key: string) => unknown): GoLensSettings {
  return fitSettings(SCHEMAS, get) as unknown as GoLensSettings;
}

/** The settings from the nested `golens` section object the language server is sent. */
export function settingsFromSection(section: unknown): GoLensSettings {
  return readSettings((key) => atPath(section, key.slice('golens.'.length)));
}

/** Every key the manifest declares (a test checks GoLensSettings names them all). */
export const SETTING_KEYS = Object.keys(SCHEMAS);
