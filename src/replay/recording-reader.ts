import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { RecordingFormatError, ReplayFileError } from './errors.js';
import { decodeRecordedDelivery, type RecordedDelivery } from './recording.js';

/**
 * Read a recording line by line, yielding each delivery in file order.
 * Blank lines are skipped. Throws `ReplayFileError` when the file cannot be
 * read and `RecordingFormatError` (with the line number) at the first line
 * that does not decode. Memory stays bounded by one line.
 */
export async function* readRecording(path: string): AsyncGenerator<RecordedDelivery> {
  await assertReadable(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });

  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;

      const decoded = decodeRecordedDelivery(line);
      if ('reason' in decoded) throw new RecordingFormatError(path, lineNumber, decoded.reason);
      yield decoded.delivery;
    }
  } catch (error) {
    if (error instanceof RecordingFormatError) throw error;
    throw new ReplayFileError(path, 'read the recording', { cause: error });
  } finally {
    lines.close();
  }
}

/** Count the deliveries of a recording (its non-blank lines) without decoding them. */
export async function countRecordedDeliveries(path: string): Promise<number> {
  await assertReadable(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });

  let count = 0;
  for await (const line of lines) {
    if (line.trim() !== '') count += 1;
  }
  return count;
}

async function assertReadable(path: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new ReplayFileError(path, 'read the recording', { cause: error });
  }
}
