// The differential colour of a frame: neutral when unchanged, red where it grew and green
// where it shrank, deeper by the relative change. Pure maths (the unit tests run it in node).

/** (new − base) / max(|new|, |base|): +1 only in new, −1 gone, 0 unchanged. */
export function relativeChange(n: { value: number; base: number }): number {
  const m = Math.max(Math.abs(n.value), Math.abs(n.base));
  return m === 0 ? 0 : (n.value - n.base) / m;
}

export type Rgb = [number, number, number];

/** Parses what getComputedStyle gives for a colour: rgb()/rgba() or color(srgb …). */
export function parseColor(s: string): Rgb {
  let m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  m = /^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)/.exec(s);
  if (m) return [Number(m[1]) * 255, Number(m[2]) * 255, Number(m[3]) * 255];
  return [128, 128, 128];
}

export function mix(a: Rgb, b: Rgb, t: number): string {
  const c = (i: number) => Math.round(a[i] + (b[i] - a[i]) * t);
  return `rgb(${c(0)}, ${c(1)}, ${c(2)})`;
}

/** Relative changes below this are drawn unchanged. */
export const NEGLIGIBLE = 0.005;

export interface DiffPalette { same: Rgb; grow: Rgb; shrink: Rgb }

/** Differential colour: neutral when unchanged, towards grow (red) or shrink (green) by |relative change|. */
export function diffColor(n: { value: number; base: number }, palette: DiffPalette): string {
  const r = relativeChange(n);
  // Under half a percent is noise (normalizing rounds every sample); above, a floor keeps
  // any real change visibly tinted, saturating at ±100%.
  const a = Math.min(1, Math.abs(r));
  const t = a < NEGLIGIBLE ? 0 : 0.25 + 0.75 * a;
  return mix(palette.same, r > 0 ? palette.grow : palette.shrink, t);
}
