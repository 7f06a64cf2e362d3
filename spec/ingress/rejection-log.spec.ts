import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/core/logger.js';
import { RejectionLog } from '../../src/ingress/rejection-log.js';

describe('RejectionLog', () => {
  it('limits aborted-request lines per interval', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => { lines.push(chunk.toString()); done(); } });
    let now = 0;
    const log = new RejectionLog(createLogger({ level: 'info', destination }), () => now, 1000);
    const context = { method: 'POST', remoteAddress: '127.0.0.1' };

    for (let i = 0; i < 500; i++) log.recordAborted(10, context);
    now = 1000;
    log.recordAborted(10, context);

    assert.equal(lines.length, 2);
    assert.equal(JSON.parse(lines[1] ?? '{}').suppressed, 499);
  });
});
