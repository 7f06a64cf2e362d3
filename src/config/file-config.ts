import * as t from 'io-ts';
import { DEFAULT_TUNING, type PipelineTuning } from '../pipeline/pipeline.js';
import { HttpUrl, intBetween, LogLevelCodec, NonEmptyString, NonNegativeInt, PositiveInt, TcpPort } from './codecs.js';

/**
 * The schema of the YAML configuration file, as io-ts codecs. Secrets are
 * not part of it: they come from the environment (see `SECRET_ENV`).
 */

/** Builds a section of optional keys. `findUnknownKeys` reports unknown keys, so `exact` only strips them. */
function optionalSection<P extends t.Props>(props: P) {
  return t.union([t.undefined, t.exact(t.partial(props), 'a mapping of keys')]);
}

/** Port's limits per bulk request: 20 entities per upsert and 100 identifiers per delete. */
const PIPELINE_LIMITS: Partial<Record<keyof PipelineTuning, t.Type<number, number, unknown>>> = {
  portUpsertBatchSize: intBetween(1, 20),
  portDeleteBatchSize: intBetween(1, 100),
};

/**
 * Pipeline knobs follow `DEFAULT_TUNING`, so a new knob is configurable as
 * soon as it has a default. Durations (`...Ms`) may be 0; counts must be at
 * least 1, and batch sizes within Port's limits.
 */
const pipelineProps = Object.fromEntries(
  Object.keys(DEFAULT_TUNING).map((key) => [key, PIPELINE_LIMITS[key as keyof PipelineTuning] ?? (key.endsWith('Ms') ? NonNegativeInt : PositiveInt)]),
) as Record<keyof PipelineTuning, typeof PositiveInt>;

export const FileConfig = t.exact(
  t.type({
    jira: t.exact(t.intersection([t.type({ baseUrl: HttpUrl }), t.partial({ email: NonEmptyString })]), 'a mapping of keys'),
    port: t.exact(t.intersection([t.type({ clientId: NonEmptyString }), t.partial({ baseUrl: HttpUrl })]), 'a mapping of keys'),
    webhook: optionalSection({ allowUnsigned: t.boolean, maxBodyBytes: PositiveInt, publicUrl: HttpUrl, name: NonEmptyString, jqlFilter: t.string }),
    server: optionalSection({ host: NonEmptyString, port: TcpPort }),
    mapping: t.union([t.undefined, NonEmptyString]),
    eventLog: optionalSection({ path: NonEmptyString, retentionDays: PositiveInt, dedupeDays: PositiveInt }),
    pipeline: optionalSection(pipelineProps),
    feed: optionalSection({ allowAnonymous: t.boolean, historySize: PositiveInt }),
    logging: optionalSection({ level: LogLevelCodec, pretty: t.boolean }),
    shutdown: optionalSection({ deadlineMs: PositiveInt }),
    readiness: optionalSection({ maxBacklog: PositiveInt, maxContactAgeMs: PositiveInt }),
    metrics: optionalSection({ enabled: t.boolean }),
  }),
  'a mapping of keys',
);

export type FileConfig = t.TypeOf<typeof FileConfig>;

/** Example values that error messages suggest, keyed by dotted key. Keys without an entry get none. */
export const CONFIG_EXAMPLES: Readonly<Record<string, string>> = {
  'jira.baseUrl': 'https://your-site.atlassian.net',
  'jira.email': 'sync-bot@example.com',
  'port.baseUrl': 'https://api.getport.io',
  'webhook.maxBodyBytes': '26214400',
  'webhook.publicUrl': 'https://jira-port-stream.example.com',
  'webhook.name': 'jira-port-stream',
  'webhook.jqlFilter': 'project in (CAT, PLAT)',
  'server.host': '0.0.0.0',
  'server.port': '8000',
  mapping: './port-app-config.yaml',
  'eventLog.path': './data/jira-port-stream.db',
  'eventLog.retentionDays': '7',
  'eventLog.dedupeDays': '7',
  'feed.historySize': '10000',
  'logging.level': 'info',
  'shutdown.deadlineMs': '30000',
  'readiness.maxBacklog': '10000',
  'readiness.maxContactAgeMs': '60000',
  ...Object.fromEntries(Object.entries(DEFAULT_TUNING).map(([key, value]) => [`pipeline.${key}`, String(value)])),
};
