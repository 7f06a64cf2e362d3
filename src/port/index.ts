export { PortClient, type PortClientOptions, type PortRequestInfo } from './client.js';
export { PortAuthError, PortRequestError, type PortRequestErrorDetails } from './errors.js';
export type * from './types.js';
