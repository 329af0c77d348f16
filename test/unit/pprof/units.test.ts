// pprof's percentage column prints shares under 1% with Go's %.2g: the exact binary value
// rounded to two significant digits, ties to even. The expected strings are what Go 1.27's
// fmt printed for these numbers (fmt.Sprintf("%.2g", x)).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentage } from '../../../src/core/pprof/units';

const GO_2G: [number, string][] = [
  [0.625, '0.62'], [0.125, '0.12'], [0.375, '0.38'], [0.0625, '0.062'], [0.635, '0.64'],
  [0.5, '0.5'], [0.95, '0.95'], [0.0001234, '0.00012'], [0.000625, '0.00063'], [0.00625, '0.0063'],
  // Rounded up to the next power of ten: the form follows the rounded exponent.
  [0.0000999, '0.0001'], [0.00009951, '0.0001'], [0.0000949, '9.5e-05'], [0.00001234, '1.2e-05'], [0.0994, '0.099'], [0.0996, '0.1'],
];

test('shares under 1% round like Go\'s %.2g, exact ties to even', () => {
  for (const [x, want] of GO_2G) assert.equal(percentage(x, 100).trim(), `${want}%`, String(x));
});
