import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Rejects a WebSocket handshake by writing an HTTP response with `status` and
 * a JSON body on the raw socket, then closing it. The connection is never
 * upgraded, so the client sees the status in its handshake response.
 */
export function rejectHandshake(
  socket: Duplex,
  status: number,
  body: Record<string, unknown>,
  headers: Readonly<Record<string, string>> = {},
): void {
  // A client that resets the connection mid-response must not crash the server.
  socket.on('error', () => socket.destroy());
  if (!socket.writable) {
    socket.destroy();
    return;
  }

  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];

  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}
