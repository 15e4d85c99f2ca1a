import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { PEEK_REFERENCES_COMMAND, SETTINGS_SECTION, SHOW_REFERENCES_COMMAND, type InitializationOptions } from '../../common/protocol';
import { SERVER_ENVIRONMENT } from '../../common/serverEnvironment';
import { settingsForServer, type SettingsForServer } from './settings';

const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * Restarts a crashed server a few times, then stops and says so; a server that keeps crashing
 * would otherwise flood the user with restarts.
 */
class RestartingErrorHandler implements ErrorHandler {
  private readonly restarts: number[] = [];

  constructor(private readonly output: vscode.OutputChannel) {}

  error(): { action: ErrorAction } {
    return { action: ErrorAction.Continue };
  }

  closed(): { action: CloseAction; message?: string } {
    const now = Date.now();
    this.restarts.push(now);
    while (this.restarts.length && now - this.restarts[0]! > RESTART_WINDOW_MS) this.restarts.shift();
    if (this.restarts.length <= MAX_RESTARTS) {
      this.output.appendLine(`Throughline server stopped; restarting (${this.restarts.length}/${MAX_RESTARTS}).`);
      return { action: CloseAction.Restart };
    }
    return {
      action: CloseAction.DoNotRestart,
      message: `The Throughline server crashed ${this.restarts.length} times in 3 minutes and was not restarted. See the "Throughline" output for its log, then run "Throughline: Restart Server".`,
    };
  }
}

/** VS Code's environment with what the server is started with (common/serverEnvironment.ts). */
function serverEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env, ...SERVER_ENVIRONMENT };
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnvironment() } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnvironment(), execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION },
    // A function, so that a restarted server starts with the settings of that moment.
    initializationOptions: (): InitializationOptions => ({ settings: serverSettings() }),
    // Every route carries the same object: all the server's settings, and not VS Code's own `trace`.
    middleware: {
      // Lenses peek their places in VS Code's references view, rather than ask the server to list them.
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        for (const lens of lenses ?? []) if (lens.command?.command === SHOW_REFERENCES_COMMAND) lens.command.command = PEEK_REFERENCES_COMMAND;
        return lenses;
      },
      workspace: {
        configuration: (params, token, next) =>
          params.items.every((item) => item.section === SETTINGS_SECTION)
            ? params.items.map((item) => serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined))
            : next(params, token),
        didChangeConfiguration: (sections, next) =>
          sections?.length === 1 && sections[0] === SETTINGS_SECTION
            ? client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SETTINGS_SECTION]: serverSettings() } })
            : next(sections),
      },
    },
    outputChannel: output,
    traceOutputChannel: output,
    errorHandler: new RestartingErrorHandler(output),
  };
  const client = new LanguageClient('throughline', 'Throughline', serverOptions, clientOptions);
  return client;
}

/** The settings for the server, of the folder `scope` belongs to (resource-scoped settings) or of the window. */
function serverSettings(scope?: vscode.Uri): SettingsForServer {
  return settingsForServer(vscode.workspace.getConfiguration(SETTINGS_SECTION, scope));
}
