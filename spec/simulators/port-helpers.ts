import { startPortSimulator, type PortSimulator, type PortSimulatorOptions } from '../../src/simulators/port/index.js';

/** A parsed JSON response of the simulator. */
export interface SimulatorReply<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A simulator plus a helper that sends JSON requests to it with a valid bearer token. */
export interface SimulatorHarness {
  readonly simulator: PortSimulator;
  readonly token: string;
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<SimulatorReply<T>>;
}

/** Sends one JSON request to the simulator and parses the JSON response. */
export async function requestJson<T = any>(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<SimulatorReply<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** Starts a simulator and fetches a token with its credentials; close it with `simulator.close()`. */
export async function startHarness(options: PortSimulatorOptions = {}): Promise<SimulatorHarness> {
  const simulator = await startPortSimulator(options);
  const reply = await requestJson(simulator.url, 'POST', '/v1/auth/access_token', {
    clientId: simulator.clientId,
    clientSecret: simulator.clientSecret,
  });
  const token = reply.body.accessToken as string;
  return {
    simulator,
    token,
    call: (method, path, body, headers = {}) => requestJson(simulator.url, method, path, body, { authorization: `Bearer ${token}`, ...headers }),
  };
}
