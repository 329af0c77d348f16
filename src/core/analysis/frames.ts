// Which frame of a stack a finding points at: the one nearest the top that is the user's
// code, not the runtime's or the standard library's plumbing (runtime., sync., internal/…).

export interface FrameLike {
  fn: string;
  file: string;
  line: number;
}

const NOT_USER = [
  /^runtime[./]/, /^internal\//, /^sync[./]/, /^sync\/atomic\./, /^reflect\./, /^syscall\./,
  /^time\.Sleep$/, /^context\./, /^os\/signal\./,
];

export function isUserFrame(fn: string): boolean {
  return fn !== '' && !NOT_USER.some((re) => re.test(fn));
}

/** The innermost user frame (frames innermost first), or the innermost frame if none is the user's. */
export function userFrame<F extends FrameLike>(frames: F[]): F | undefined {
  return frames.find((f) => isUserFrame(f.fn)) ?? frames[0];
}
