import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_TUNING, type PipelineTuning } from '../pipeline/pipeline.js';
import { LOG_LEVELS } from './codecs.js';
import { describeDecodeErrors, showValue } from './describe-error.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { FileConfig } from './file-config.js';
import { findUnknownKeys, keyTreeOf } from './unknown-keys.js';

export { ConfigError, type ConfigProblem } from './errors.js';

/** Environment variables that hold secrets; secrets are never read from the YAML file. */
export const SECRET_ENV = {
  jiraApiToken: 'JIRA_API_TOKEN',
  jiraBearerToken: 'JIRA_BEARER_TOKEN',
  portClientSecret: 'PORT_CLIENT_SECRET',
  webhookSecret: 'WEBHOOK_SECRET',
  feedToken: 'FEED_TOKEN',
} as const;

/** Environment variable that overrides `logging.level`, so verbosity can change without editing the file. */
export const LOG_LEVEL_ENV = 'LOG_LEVEL';

/** Readiness thresholds of `GET /readyz`. */
export interface ReadinessSettings {
  /** Deliveries in the log above the checkpoint at which the service reports not ready. */
  readonly maxBacklog: number;
  /** Jira and Port count as reachable when their last good response is at most this old; older, `/readyz` probes them. */
  readonly maxContactAgeMs: number;
}

/** The service configuration after decoding, with defaults and secrets filled in. */
export interface ServiceConfig {
  readonly jira: { readonly baseUrl: string; readonly email?: string; readonly apiToken?: string; readonly bearerToken?: string };
  readonly port: { readonly baseUrl: string; readonly clientId: string; readonly clientSecret: string };
  readonly webhook: {
    readonly secret?: string;
    readonly allowUnsigned: boolean;
    readonly maxBodyBytes: number;
    /** Public base URL of the service as Jira reaches it; when set, `serve` registers the Jira webhook. */
    readonly publicUrl?: string;
    /** Name of the webhook that `serve` registers. Default `jira-port-stream`. */
    readonly name?: string;
    /** JQL filter of the registered webhook for issue-related events; absent or empty means every issue. */
    readonly jqlFilter?: string;
  };
  readonly server: { readonly host: string; readonly port: number };
  /** Path of the port-app-config YAML; undefined means the bundled default mapping. */
  readonly mapping?: string;
  readonly eventLog: { readonly path: string; readonly retentionDays: number; readonly dedupeDays: number };
  readonly pipeline: PipelineTuning;
  readonly feed: { readonly token?: string; readonly allowAnonymous: boolean; readonly historySize: number };
  readonly logging: { readonly level: string; readonly pretty: boolean };
  readonly shutdown: { readonly deadlineMs: number };
  /** Absent in configs built by hand: the defaults in `CONFIG_DEFAULTS` apply. */
  readonly readiness?: ReadinessSettings;
  /** Absent in configs built by hand: `/metrics` is served. */
  readonly metrics?: { readonly enabled: boolean };
}

/** Default of every optional key, as dotted key to value. docs/configuration.md repeats them. */
export const CONFIG_DEFAULTS = {
  portBaseUrl: 'https://api.getport.io',
  webhookName: 'jira-port-stream',
  maxBodyBytes: 25 * 1024 * 1024,
  host: '127.0.0.1',
  port: 8000,
  eventLogPath: './data/jira-port-stream.db',
  retentionDays: 7,
  dedupeDays: 7,
  historySize: 10_000,
  logLevel: 'info',
  shutdownDeadlineMs: 30_000,
  readiness: { maxBacklog: 10_000, maxContactAgeMs: 60_000 } satisfies ReadinessSettings,
} as const;

/** Every key the file accepts, nested by section. */
export const CONFIG_KEYS = keyTreeOf(FileConfig);

/** Secret keys that must not appear in the file, with the variable to use instead. */
const SECRETS_IN_FILE: ReadonlyArray<readonly [string, string]> = [
  ['jira.apiToken', SECRET_ENV.jiraApiToken],
  ['jira.bearerToken', SECRET_ENV.jiraBearerToken],
  ['port.clientSecret', SECRET_ENV.portClientSecret],
  ['webhook.secret', SECRET_ENV.webhookSecret],
  ['feed.token', SECRET_ENV.feedToken],
];

interface Secrets {
  readonly apiToken?: string;
  readonly bearerToken?: string;
  readonly clientSecret?: string;
  readonly webhookSecret?: string;
  readonly feedToken?: string;
}

/**
 * Decode a parsed YAML document plus the environment into a `ServiceConfig`.
 * Relative paths (mapping, event log) resolve against `baseDir`. Throws a
 * `ConfigError` listing every problem, each with its key and a fix:
 * secrets in the file, unknown keys, invalid values, missing secrets and a
 * mapping file that does not exist.
 */
export function decodeServiceConfig(document: unknown, env: NodeJS.ProcessEnv, baseDir: string): ServiceConfig {
  const shape = documentShapeProblem(document);
  if (shape !== undefined) throw new ConfigError([shape]);

  const problems = [...secretsInFile(document), ...findUnknownKeys(document, CONFIG_KEYS, new Set(SECRETS_IN_FILE.map(([key]) => key)))];
  const decoded = FileConfig.decode(stripKeys(document, SECRETS_IN_FILE.map(([key]) => key)));
  if (decoded._tag === 'Left') problems.push(...describeDecodeErrors(decoded.left));
  if (decoded._tag === 'Left' || problems.length > 0) throw new ConfigError(problems);

  const file = decoded.right;
  const secrets = readSecrets(env);
  const logLevel = readLogLevel(env, problems);
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(baseDir, path));
  problems.push(...missingSecrets(file, secrets), ...missingMapping(file.mapping, at));
  if (problems.length > 0) throw new ConfigError(problems);

  return buildConfig(file, secrets, logLevel ?? file.logging?.level ?? CONFIG_DEFAULTS.logLevel, at);
}

/** Read and decode a YAML configuration file. Throws `ConfigError` naming the file. */
export function loadServiceConfig(path: string, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError([{ key: '(file)', problem: `cannot read ${path} (${code})`, fix: 'pass the path of an existing YAML file with --config' }]);
  }

  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError([{ key: '(file)', problem: `is not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`, fix: 'correct the YAML syntax at the line shown' }], path);
  }

  try {
    return decodeServiceConfig(document, env, dirname(resolve(path)));
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.problems, path);
    throw error;
  }
}

function buildConfig(file: FileConfig, secrets: Secrets, logLevel: string, at: (path: string) => string): ServiceConfig {
  const webhook = file.webhook ?? {};
  const eventLogPath = file.eventLog?.path ?? CONFIG_DEFAULTS.eventLogPath;
  return {
    jira: { baseUrl: file.jira.baseUrl, email: file.jira.email, apiToken: secrets.apiToken, bearerToken: secrets.bearerToken },
    port: { baseUrl: file.port.baseUrl ?? CONFIG_DEFAULTS.portBaseUrl, clientId: file.port.clientId, clientSecret: secrets.clientSecret ?? '' },
    webhook: {
      secret: secrets.webhookSecret,
      allowUnsigned: webhook.allowUnsigned ?? false,
      maxBodyBytes: webhook.maxBodyBytes ?? CONFIG_DEFAULTS.maxBodyBytes,
      publicUrl: webhook.publicUrl,
      name: webhook.name ?? CONFIG_DEFAULTS.webhookName,
      jqlFilter: webhook.jqlFilter,
    },
    server: { host: file.server?.host ?? CONFIG_DEFAULTS.host, port: file.server?.port ?? CONFIG_DEFAULTS.port },
    mapping: file.mapping === undefined ? undefined : at(file.mapping),
    eventLog: {
      path: eventLogPath === ':memory:' ? ':memory:' : at(eventLogPath),
      retentionDays: file.eventLog?.retentionDays ?? CONFIG_DEFAULTS.retentionDays,
      dedupeDays: file.eventLog?.dedupeDays ?? CONFIG_DEFAULTS.dedupeDays,
    },
    pipeline: { ...DEFAULT_TUNING, ...file.pipeline },
    feed: { allowAnonymous: file.feed?.allowAnonymous ?? false, historySize: file.feed?.historySize ?? CONFIG_DEFAULTS.historySize, token: secrets.feedToken },
    logging: { level: logLevel, pretty: file.logging?.pretty ?? false },
    shutdown: { deadlineMs: file.shutdown?.deadlineMs ?? CONFIG_DEFAULTS.shutdownDeadlineMs },
    readiness: { ...CONFIG_DEFAULTS.readiness, ...file.readiness },
    metrics: { enabled: file.metrics?.enabled ?? true },
  };
}

function documentShapeProblem(document: unknown): ConfigProblem | undefined {
  if (document === null || document === undefined) {
    return { key: '(file)', problem: 'is empty', fix: 'add at least jira.baseUrl and port.clientId (docs/configuration.md has a complete example)' };
  }
  if (typeof document !== 'object' || Array.isArray(document)) {
    return { key: '(file)', problem: `is ${showValue(document)}, not a mapping of keys`, fix: 'write the configuration as YAML keys such as "jira:" and "port:" at the top level' };
  }
  return undefined;
}

function secretsInFile(document: unknown): ConfigProblem[] {
  return SECRETS_IN_FILE.filter(([key]) => valueAt(document, key) !== undefined).map(([key, variable]) => ({
    key,
    problem: 'secrets are not read from the configuration file',
    fix: `remove it from the file and set the ${variable} environment variable`,
  }));
}

function readSecrets(env: NodeJS.ProcessEnv): Secrets {
  const secret = (name: string): string | undefined => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);
  return {
    apiToken: secret(SECRET_ENV.jiraApiToken),
    bearerToken: secret(SECRET_ENV.jiraBearerToken),
    clientSecret: secret(SECRET_ENV.portClientSecret),
    webhookSecret: secret(SECRET_ENV.webhookSecret),
    feedToken: secret(SECRET_ENV.feedToken),
  };
}

/** `LOG_LEVEL` from the environment, checked like `logging.level`; undefined when unset or invalid (then a problem is added). */
function readLogLevel(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): string | undefined {
  const value = env[LOG_LEVEL_ENV];
  if (value === undefined || value === '') return undefined;
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value;

  problems.push({ key: LOG_LEVEL_ENV, problem: `${showValue(value)} is not a log level`, fix: `set ${LOG_LEVEL_ENV} to one of ${LOG_LEVELS.join(', ')}, or unset it to use logging.level` });
  return undefined;
}

function missingSecrets(file: FileConfig, secrets: Secrets): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (secrets.apiToken === undefined && secrets.bearerToken === undefined) {
    problems.push({ key: 'jira', problem: 'no Jira credentials', fix: `set ${SECRET_ENV.jiraApiToken} (with jira.email) for Jira Cloud, or ${SECRET_ENV.jiraBearerToken} for a Data Center personal access token` });
  }
  if (secrets.apiToken !== undefined && file.jira.email === undefined) {
    problems.push({ key: 'jira.email', problem: `missing; basic auth with ${SECRET_ENV.jiraApiToken} needs the account's email`, fix: 'set jira.email to the Atlassian account that owns the API token' });
  }
  if (secrets.clientSecret === undefined) {
    problems.push({ key: 'port.clientSecret', problem: 'missing', fix: `set the ${SECRET_ENV.portClientSecret} environment variable to the secret of port.clientId` });
  }
  if (secrets.webhookSecret === undefined && file.webhook?.allowUnsigned !== true) {
    problems.push({ key: 'webhook.secret', problem: 'no webhook secret, so signatures cannot be checked', fix: `set ${SECRET_ENV.webhookSecret} to the secret of the Jira webhook, or set webhook.allowUnsigned: true to accept unsigned deliveries` });
  }
  return problems;
}

function missingMapping(mapping: string | undefined, at: (path: string) => string): ConfigProblem[] {
  if (mapping === undefined || existsSync(at(mapping))) return [];
  return [{ key: 'mapping', problem: `no file at ${at(mapping)}`, fix: 'point mapping at an existing port-app-config YAML file (relative paths start at the configuration file), or remove the key to use the bundled mapping' }];
}

function valueAt(document: unknown, dotted: string): unknown {
  let current = document;
  for (const part of dotted.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function stripKeys(document: unknown, dottedKeys: readonly string[]): unknown {
  if (typeof document !== 'object' || document === null) return document;
  const copy = structuredClone(document) as Record<string, unknown>;
  for (const dotted of dottedKeys) {
    const [section, key] = dotted.split('.') as [string, string];
    const holder = copy[section];
    if (typeof holder === 'object' && holder !== null) delete (holder as Record<string, unknown>)[key];
  }
  return copy;
}
