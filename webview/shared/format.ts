// Value labels for the webview, the same as the CLI's: profile values as pprof scales them,
// other numbers from core/format (durations from ns, bytes by 1024, shares).
export { formatValue } from '../../src/core/pprof/units';
export { formatBytes, formatNs, formatShare, percentile } from '../../src/core/format';
