import * as t from 'io-ts';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_TUNING, type PipelineTuning } from '../pipeline/pipeline.js';

/** Environment variables that hold secrets; secrets are never read from the YAML file. */
export const SECRET_ENV = {
  jiraApiToken: 'JIRA_API_TOKEN',
  jiraBearerToken: 'JIRA_BEARER_TOKEN',
  portClientSecret: 'PORT_CLIENT_SECRET',
  webhookSecret: 'WEBHOOK_SECRET',
  feedToken: 'FEED_TOKEN',
} as const;

/** The service configuration after decoding, with defaults and secrets filled in. */
export interface ServiceConfig {
  readonly jira: { readonly baseUrl: string; readonly email?: string; readonly apiToken?: string; readonly bearerToken?: string };
  readonly port: { readonly baseUrl: string; readonly clientId: string; readonly clientSecret: string };
  readonly webhook: { readonly secret?: string; readonly allowUnsigned: boolean; readonly maxBodyBytes: number; readonly publicUrl?: string };
  readonly server: { readonly host: string; readonly port: number };
  /** Path of the port-app-config YAML; undefined means the bundled default mapping. */
  readonly mapping?: string;
  readonly eventLog: { readonly path: string; readonly retentionDays: number; readonly dedupeDays: number };
  readonly pipeline: PipelineTuning;
  readonly feed: { readonly token?: string; readonly allowAnonymous: boolean; readonly historySize: number };
  readonly logging: { readonly level: string; readonly pretty: boolean };
  readonly shutdown: { readonly deadlineMs: number };
}

/** A configuration error: `key` is the dotted path, `problem` what is wrong, `fix` what to do. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: ReadonlyArray<{ readonly key: string; readonly problem: string; readonly fix: string }>) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p.key}: ${p.problem}. Fix: ${p.fix}`).join('\n')}`);
  }
}

const PositiveInt = new t.Type<number, number, unknown>(
  'positive integer',
  (value): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0,
  (value, context) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? t.success(value) : t.failure(value, context)),
  (value) => value,
);

const NonNegativeInt = new t.Type<number, number, unknown>(
  'non-negative integer',
  (value): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0,
  (value, context) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? t.success(value) : t.failure(value, context)),
  (value) => value,
);

const HttpUrl = new t.Type<string, string, unknown>(
  'http(s) URL',
  (value): value is string => typeof value === 'string',
  (value, context) => {
    if (typeof value !== 'string') return t.failure(value, context);
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:' ? t.success(value.replace(/\/+$/, '')) : t.failure(value, context);
    } catch {
      return t.failure(value, context);
    }
  },
  (value) => value,
);

const FileConfig = t.exact(
  t.type({
    jira: t.exact(t.intersection([t.type({ baseUrl: HttpUrl }), t.partial({ email: t.string })])),
    port: t.exact(t.intersection([t.type({ clientId: t.string }), t.partial({ baseUrl: HttpUrl })])),
    webhook: t.union([t.undefined, t.exact(t.partial({ allowUnsigned: t.boolean, maxBodyBytes: PositiveInt, publicUrl: HttpUrl }))]),
    server: t.union([t.undefined, t.exact(t.partial({ host: t.string, port: NonNegativeInt }))]),
    mapping: t.union([t.undefined, t.string]),
    eventLog: t.union([t.undefined, t.exact(t.partial({ path: t.string, retentionDays: PositiveInt, dedupeDays: PositiveInt }))]),
    pipeline: t.union([
      t.undefined,
      t.exact(
        t.partial({
          coalesceWindowMs: NonNegativeInt,
          fetchConcurrency: PositiveInt,
          maxInFlight: PositiveInt,
          mapBatchMs: NonNegativeInt,
          mapBatchGroups: PositiveInt,
          portFlushMs: NonNegativeInt,
          portConcurrency: PositiveInt,
        }),
      ),
    ]),
    feed: t.union([t.undefined, t.exact(t.partial({ allowAnonymous: t.boolean, historySize: PositiveInt }))]),
    logging: t.union([t.undefined, t.exact(t.partial({ level: t.keyof({ fatal: null, error: null, warn: null, info: null, debug: null, trace: null }), pretty: t.boolean }))]),
    shutdown: t.union([t.undefined, t.exact(t.partial({ deadlineMs: PositiveInt }))]),
  }),
);

/** Secret keys that must not appear in the file, with the variable to use instead. */
const SECRETS_IN_FILE: ReadonlyArray<readonly [string, string]> = [
  ['jira.apiToken', SECRET_ENV.jiraApiToken],
  ['jira.bearerToken', SECRET_ENV.jiraBearerToken],
  ['port.clientSecret', SECRET_ENV.portClientSecret],
  ['webhook.secret', SECRET_ENV.webhookSecret],
  ['feed.token', SECRET_ENV.feedToken],
];

/**
 * Decode a parsed YAML document plus the environment into a `ServiceConfig`.
 * Relative paths (mapping, event log) resolve against `baseDir`. Throws a
 * `ConfigError` listing every problem, each with its key and a fix.
 */
export function decodeServiceConfig(document: unknown, env: NodeJS.ProcessEnv, baseDir: string): ServiceConfig {
  const problems: Array<{ key: string; problem: string; fix: string }> = [];
  for (const [key, variable] of SECRETS_IN_FILE) {
    if (valueAt(document, key) !== undefined) problems.push({ key, problem: 'secrets are not read from the configuration file', fix: `remove it from the file and set the ${variable} environment variable` });
  }
  const withoutSecrets = stripKeys(document, SECRETS_IN_FILE.map(([key]) => key));

  const decoded = FileConfig.decode(withoutSecrets ?? {});
  if (decoded._tag === 'Left') problems.push(...decoded.left.map(describeDecodeError));
  if (decoded._tag === 'Left' || problems.length > 0) throw new ConfigError(problems);

  const file = decoded.right;
  const secret = (name: string): string | undefined => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);
  const apiToken = secret(SECRET_ENV.jiraApiToken);
  const bearerToken = secret(SECRET_ENV.jiraBearerToken);
  const clientSecret = secret(SECRET_ENV.portClientSecret);
  const webhookSecret = secret(SECRET_ENV.webhookSecret);
  const feedToken = secret(SECRET_ENV.feedToken);

  if (apiToken === undefined && bearerToken === undefined) problems.push({ key: 'jira', problem: 'no Jira credentials', fix: `set ${SECRET_ENV.jiraApiToken} (with jira.email) for Jira Cloud, or ${SECRET_ENV.jiraBearerToken} for a Data Center personal access token` });
  if (apiToken !== undefined && file.jira.email === undefined) problems.push({ key: 'jira.email', problem: `missing; basic auth with ${SECRET_ENV.jiraApiToken} needs the account's email`, fix: 'set jira.email to the Atlassian account that owns the API token' });
  if (clientSecret === undefined) problems.push({ key: 'port.clientSecret', problem: 'missing', fix: `set the ${SECRET_ENV.portClientSecret} environment variable` });
  if (webhookSecret === undefined && file.webhook?.allowUnsigned !== true) problems.push({ key: 'webhook.secret', problem: 'no webhook secret, so signatures cannot be checked', fix: `set ${SECRET_ENV.webhookSecret} to the secret of the Jira webhook, or set webhook.allowUnsigned: true to accept unsigned deliveries` });
  if (problems.length > 0) throw new ConfigError(problems);

  const at = (path: string): string => (isAbsolute(path) ? path : resolve(baseDir, path));
  return {
    jira: { baseUrl: file.jira.baseUrl, ...(file.jira.email !== undefined ? { email: file.jira.email } : {}), ...(apiToken !== undefined ? { apiToken } : {}), ...(bearerToken !== undefined ? { bearerToken } : {}) },
    port: { baseUrl: file.port.baseUrl ?? 'https://api.getport.io', clientId: file.port.clientId, clientSecret: clientSecret as string },
    webhook: {
      allowUnsigned: file.webhook?.allowUnsigned ?? false,
      maxBodyBytes: file.webhook?.maxBodyBytes ?? 25 * 1024 * 1024,
      ...(webhookSecret !== undefined ? { secret: webhookSecret } : {}),
      ...(file.webhook?.publicUrl !== undefined ? { publicUrl: file.webhook.publicUrl } : {}),
    },
    server: { host: file.server?.host ?? '127.0.0.1', port: file.server?.port ?? 8000 },
    ...(file.mapping !== undefined ? { mapping: at(file.mapping) } : {}),
    eventLog: {
      path: file.eventLog?.path === ':memory:' ? ':memory:' : at(file.eventLog?.path ?? './data/jira-port-stream.db'),
      retentionDays: file.eventLog?.retentionDays ?? 7,
      dedupeDays: file.eventLog?.dedupeDays ?? 7,
    },
    pipeline: { ...DEFAULT_TUNING, ...file.pipeline },
    feed: { allowAnonymous: file.feed?.allowAnonymous ?? false, historySize: file.feed?.historySize ?? 10_000, ...(feedToken !== undefined ? { token: feedToken } : {}) },
    logging: { level: file.logging?.level ?? 'info', pretty: file.logging?.pretty ?? false },
    shutdown: { deadlineMs: file.shutdown?.deadlineMs ?? 30_000 },
  };
}

/** Read and decode a YAML configuration file. */
export function loadServiceConfig(path: string, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ key: '(file)', problem: `cannot read ${path}: ${(error as Error).message}`, fix: 'pass an existing YAML file with --config' }]);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError([{ key: '(file)', problem: `${path} is not valid YAML: ${(error as Error).message}`, fix: 'correct the YAML syntax at the line shown' }]);
  }
  return decodeServiceConfig(document, env, dirname(resolve(path)));
}

function describeDecodeError(error: t.ValidationError): { key: string; problem: string; fix: string } {
  const keys: string[] = [];
  for (let i = 1; i < error.context.length; i++) {
    const parent = error.context[i - 1]?.type;
    if (parent instanceof t.UnionType || parent instanceof t.IntersectionType || parent instanceof t.ExactType) continue;
    const key = error.context[i]?.key ?? '';
    if (key !== '') keys.push(key);
  }
  const key = [...new Set(keys)].join('.') || '(root)';
  const expected = error.context[error.context.length - 1]?.type.name ?? 'a valid value';
  const problem = error.value === undefined ? 'missing' : `invalid value ${JSON.stringify(error.value)}`;
  return { key, problem, fix: `set it to a ${expected.replace(/^\((.*)\)$/, '$1')}` };
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
