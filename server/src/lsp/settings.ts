/**
 * Where a client's settings come from, and how they are compared. The client may give them in
 * `initializationOptions`, push them with `workspace/didChangeConfiguration`, or answer
 * `workspace/configuration`; each route is validated by the service's `parseSettings`, which keeps
 * the valid rest of what it is given.
 */
import type { DidChangeConfigurationParams } from 'vscode-languageserver/node';
import { SETTINGS_SECTION, type ThroughlineSettings } from '../../../common/protocol';
import { configSchema } from '../service';
import { parseSettings } from '../service/config/settings';
import { settingsKey, type StrategyFolder } from './folders';
import type { SessionCore } from './sessionCore';

/** The keys of the `throughline` section, from the schema. */
const SETTING_KEYS: ReadonlySet<string> = new Set(Object.keys(configSchema.shape));

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The `throughline` section of settings a client pushes (`{throughline: {...}}`, as VS Code, Neovim
 * and eglot send them), or the section itself when a client sends it bare (a key of the section
 * at the top). Undefined when there is none: `settings: null` asks the server to pull.
 */
function settingsSection(settings: unknown): unknown {
  if (!isObject(settings)) return undefined;
  if (Object.hasOwn(settings, SETTINGS_SECTION)) return settings[SETTINGS_SECTION] ?? undefined;
  return Object.keys(settings).some((key) => SETTING_KEYS.has(key)) ? settings : undefined;
}

/** The settings in `initializationOptions`: under `settings` (as the VS Code client sends them), else under `throughline`. */
function initializationSettings(options: unknown, log: (message: string) => void): unknown {
  if (!isObject(options)) return undefined;
  const given = (key: string) => Object.hasOwn(options, key) && options[key] !== null && options[key] !== undefined;
  if (given('settings') && given(SETTINGS_SECTION))
    log(`initializationOptions has both \`settings\` and \`${SETTINGS_SECTION}\`; the settings under \`settings\` apply.`);
  // `settings` may hold the section itself or, as in some editors' configurations, `{throughline: {...}}`.
  if (given('settings')) return settingsSection(options['settings']) ?? options['settings'];
  return given(SETTINGS_SECTION) ? options[SETTINGS_SECTION] : undefined;
}

/** The client's settings over the session: what it gave at start, and what it holds now, per folder. */
export class ClientSettings {
  /** The settings from `initializationOptions`: they apply while the client gives none by another route. */
  initialSettings: ThroughlineSettings | undefined;

  constructor(private readonly session: SessionCore) {}

  /** Reads `initializationOptions`; the services are created with what this returns. */
  fromInitializationOptions(options: unknown): ThroughlineSettings | undefined {
    this.initialSettings = this.read(
      initializationSettings(options, (message) => this.session.log(message)),
      'initializationOptions',
    );
    return this.initialSettings;
  }

  /** True (and remembered as applied) when `settings` differ from what `folder`'s service has. */
  differFromApplied(folder: StrategyFolder, settings: ThroughlineSettings | undefined): boolean {
    const key = settingsKey(settings);
    if (key === folder.appliedSettings) return false;
    folder.appliedSettings = key;
    return true;
  }

  /**
   * The settings the client holds now for `folder` (its resource-scoped settings), pulled with
   * `workspace/configuration`. A client without a `throughline` section answers null: then the
   * initialization options apply. A failed request changes nothing (undefined).
   */
  async pull(folder: StrategyFolder): Promise<{ settings: ThroughlineSettings | undefined } | undefined> {
    try {
      const [raw] = (await this.session.connection.workspace.getConfiguration([{ scopeUri: folder.uri, section: SETTINGS_SECTION }])) as unknown[];
      return { settings: raw === null || raw === undefined ? this.initialSettings : this.read(raw, 'workspace/configuration') };
    } catch (error) {
      this.session.logError('workspace/configuration failed; the settings stay as they were', error);
      return undefined;
    }
  }

  /**
   * The settings for `folder` after `workspace/didChangeConfiguration`. With one folder: those the
   * notification carries under `throughline`, else those pulled from a client that can answer,
   * else (a bare notification from a client that cannot be asked) no change. With several folders,
   * a client that can answer is asked for each folder's own settings, since a push has one set for
   * all of them.
   */
  async afterChange(
    folder: StrategyFolder,
    params: DidChangeConfigurationParams | undefined,
  ): Promise<{ settings: ThroughlineSettings | undefined } | undefined> {
    const pushed = settingsSection(params?.settings);
    const canPull = this.session.client.configuration && folder.uri !== undefined;
    if (pushed !== undefined && !(canPull && this.session.folders.all().length > 1)) return { settings: this.read(pushed, 'workspace/didChangeConfiguration') };
    return canPull ? this.pull(folder) : undefined;
  }

  /** Validates settings from a client; each entry left out is one log line, and the valid rest applies. */
  private read(raw: unknown, route: string): ThroughlineSettings | undefined {
    const { settings, problems } = parseSettings(raw);
    // The problems quote the client's keys and values through escapeConfigText already.
    for (const problem of problems) this.session.log(`Ignoring invalid throughline settings from ${route}: ${problem}`);
    return settings;
  }
}
