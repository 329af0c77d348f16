// The trace comparison page's one link to the extension: it asks only what every page asks
// (open a source line); what the host pushes arrives at the constructor's handlers.
import type { TraceDiffPageApi } from '../../src/protocol/tracediff';
import { PageHost } from '../shared/rpc';

export class TraceDiffHost<S> extends PageHost<TraceDiffPageApi, S> {}
