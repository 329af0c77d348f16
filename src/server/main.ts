// GoLens language server: decodes and analyses artifacts off the extension host's thread.
// Started by the extension over IPC; later it also serves code lenses and diagnostics on .go files.
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import {
  CloseProfileNotification, OpenProfileRequest, ProfileViewRequest,
  type CloseProfileParams, type OpenProfileParams, type ProfileViewParams,
} from '../protocol/profile';
import { ProfileStore } from './profiles';

const connection = createConnection(ProposedFeatures.all);
const profiles = new ProfileStore();

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.None },
  serverInfo: { name: 'golens', version: '0.1.0' },
}));

connection.onRequest(OpenProfileRequest, async (p: OpenProfileParams) => {
  const t0 = performance.now();
  const res = await profiles.openProfile(p);
  connection.console.info(`open ${p.uri}: ${res.ok ? `${res.summary.samples} samples` : res.error.message} (${(performance.now() - t0).toFixed(0)} ms)`);
  return res;
});
connection.onRequest(ProfileViewRequest, (p: ProfileViewParams) => profiles.view(p));
connection.onNotification(CloseProfileNotification, (p: CloseProfileParams) => profiles.close(p.id));

connection.listen();
