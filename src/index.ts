/**
 * jira-port-stream as a library: build the pipeline from a config object,
 * push deliveries, subscribe to processed results.
 */
export { createJiraPortStream, type JiraPortStream, type JiraPortStreamOptions, type PushedDelivery } from './embedded.js';
export type { Delivery, IncomingDelivery } from './core/delivery.js';
export type { EntityRef, Outcome, ProcessedResult, WorkResult } from './core/results.js';
export type { AppendResult, EventLog } from './log/event-log.js';
export { MemoryEventLog } from './log/memory-event-log.js';
export { SqliteEventLog } from './log/sqlite-event-log.js';
export type { PortAppConfig, ResourceConfig, Entity } from './mapping/types.js';
export { loadPortAppConfig } from './mapping/load.js';
export { DEFAULT_MAPPING_PATH } from './mapping/default-mapping.js';
export type { Processor, ProcessorContext, RawResults, WebhookEvent } from './processors/processor.js';
export { Pipeline, DEFAULT_TUNING, type PipelineTuning } from './pipeline/pipeline.js';
export { startService, type RunningService } from './service/service.js';
export { loadServiceConfig, decodeServiceConfig, ConfigError, type ServiceConfig } from './config/service-config.js';
export { signBody, verifySignature } from './ingress/signature.js';
