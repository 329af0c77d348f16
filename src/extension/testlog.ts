// Test hooks (webview timings, the envelopes a page sent) are kept only when the extension
// runs for development or tests: in production nothing is recorded, so nothing grows.
import * as vscode from 'vscode';

export class TestLog<T> {
  readonly items: T[] = [];
  private readonly on: boolean;

  constructor(context: vscode.ExtensionContext) {
    this.on = context.extensionMode !== vscode.ExtensionMode.Production;
  }

  push(item: T): void {
    if (this.on) this.items.push(item);
  }
}
