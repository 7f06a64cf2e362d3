import { isIP } from 'node:net';
import { InvalidInputError } from './errors.js';

/**
 * Returns whether `host` names the loopback interface: `localhost`, an address in
 * 127.0.0.0/8, or `::1` (with or without brackets). The simulator listens
 * and sends webhooks only there, so a test can never reach another machine.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** Throws `InvalidInputError` unless `url` is an http(s) URL on the loopback interface. */
export function assertLoopbackUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(`Invalid ${what} "${url}"; use an absolute URL such as http://127.0.0.1:8080/webhook.`);
  }

  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidInputError(`Invalid ${what} "${url}"; only http and https URLs are supported.`);
  }
  if (!isLoopbackHost(parsed.hostname)) {
    throw new InvalidInputError(`Rejected ${what} "${url}": the simulator sends webhooks only to loopback hosts such as 127.0.0.1.`);
  }
  return parsed;
}
