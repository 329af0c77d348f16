// core/artifacts: the application layer both faces use — the command line prints what it
// returns, the language server turns it into lenses, diagnostics and views. It takes files
// (paths, or bytes the editor has) and gives analyses: load.ts opens a file once and reads
// its bytes once, with errors that name it; sniff.ts says what a file is from its content;
// one `…From` function per analysis (leaksFrom, contentionFrom, gcFrom, schedFrom,
// traceSummaryFrom, escapesFrom, profileFromFile) decodes what it needs and runs the
// analysis from core/analysis; report.ts assembles every analysis into one ranked report and
// renders it. A new artifact kind is taught in sniff.ts (its ArtifactKind and how its
// content is recognised, from the format's own magic) and read in the `…From` functions that
// accept it; the decoders below (core/pprof, core/trace, core/text) know only their own format.
export * from './contention';
export * from './decode';
export * from './escapes';
export * from './gc';
export * from './leaks';
export * from './load';
export * from './profiles';
export * from './report';
export * from './sched';
export * from './sniff';
export * from './summary';
export * from './trace';
export * from './tracediff';
