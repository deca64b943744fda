// The I/O edge of aggregation: k6 writes its per-sample output into a named pipe while it runs and
// this reads it line by line into the Aggregator. No sample file ever lands on disk, so a 24 h soak
// needs no disk space, and the aggregate is ready the moment k6 exits.
import { createReadStream, constants, type ReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// node:child_process, not execa: creating the FIFO is on the path to k6's first request.
const execFileAsync = promisify(execFile);
import type { Aggregator } from '../results/aggregator.js';
import { createCsvParser } from '../results/csv.js';
import { parseJsonLine, type ParsedLine } from '../results/samples.js';
import { parseSlotLine } from '../results/slots.js';
import type { SampleCounts, SampleFormat } from '../results/types.js';

// A quoted CSV field may hold a newline; a record still open after this much text is garbage.
const MAX_CSV_RECORD = 1 << 20;

/**
 * Reads k6 samples until EOF. Partial lines across chunks are joined; lines that fail to parse,
 * including a final line cut off mid-write, are counted in `counts.malformed`, never thrown.
 */
export async function consumeSamples(
  input: NodeJS.ReadableStream,
  format: SampleFormat,
  aggregator: Aggregator,
  counts: SampleCounts,
): Promise<void> {
  let csv: ((line: string) => ParsedLine) | undefined;
  let pending = ''; // csv record spanning lines

  const parse = (line: string): ParsedLine => {
    if (format === 'json') return parseJsonLine(line);
    if (pending !== '' || (line.indexOf('"') >= 0 && quoteCountIsOdd(line))) {
      pending = pending === '' ? line : `${pending}\n${line}`;
      if (quoteCountIsOdd(pending)) {
        if (pending.length <= MAX_CSV_RECORD) return null;
        pending = '';
        return 'malformed';
      }
      line = pending;
      pending = '';
    }
    if (csv) return csv(line);
    if (line.trim() === '') return null;
    try {
      csv = createCsvParser(line);
      return null;
    } catch {
      return 'malformed';
    }
  };

  // One line of loadctl's k6 output: a second's worth of pre-aggregated buckets.
  const handleSlots = (line: string): void => {
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    const r = parseSlotLine(line, aggregator.bucketMs);
    if (r === 'malformed') counts.malformed++;
    else if (r !== null) {
      counts.parsed += r.skipped;
      for (const d of r.declare ?? []) aggregator.declareSeries(d);
      if (r.spilled) aggregator.noteSpilled(r.spilled);
      for (const slot of r.slots) {
        aggregator.addSlot(slot, r.origin);
        counts.parsed += slot.samples;
      }
    }
  };

  // One sample line (json or csv).
  const handleSample = (line: string): void => {
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    const r = parse(line);
    if (r === null) return;
    if (r === 'malformed') counts.malformed++;
    else if (r === 'skipped') counts.parsed++;
    else if ('declare' in r) aggregator.declareMetric(r.declare.metric, r.declare.type, r.declare.contains);
    else {
      counts.parsed++;
      aggregator.add(r);
    }
  };

  // k6 ends every line, so a last line without one was cut off: it rarely parses.
  await readLines(input, format === 'loadctl' ? handleSlots : handleSample);
  if (pending !== '') counts.malformed++;
}

/** Calls `onLine` with each line of a byte stream (UTF-8 split across chunks joined), the last one too. */
export async function readLines(input: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of input) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      onLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    carry = start === 0 ? text : text.slice(start);
  }
  carry += decoder.end();
  if (carry !== '') onLine(carry);
}

function quoteCountIsOdd(s: string): boolean {
  let odd = false;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) odd = !odd;
  return odd;
}

export interface Fifo {
  path: string;
  /** The read side. Opening a FIFO blocks until a writer (k6) opens it, so this opens lazily. */
  open(): ReadStream;
  /** Unblocks a reader still waiting for a writer that never came (k6 failed before its outputs). */
  release(): Promise<void>;
  /** Releases the reader and removes the FIFO and its temp folder. */
  cleanup(): Promise<void>;
}

/** A named pipe in a fresh temp folder (POSIX only: uses mkfifo). */
export async function createFifo(name = 'samples'): Promise<Fifo> {
  const dir = await mkdtemp(join(tmpdir(), 'loadctl-'));
  const path = join(dir, name);
  try {
    await execFileAsync('mkfifo', ['-m', '600', path]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let stream: ReadStream | undefined;
  let readerOpened = false;
  let readerClosed = false;

  const release = async (): Promise<void> => {
    // Opening the write side lets a blocked open() return; closing it at once gives the reader
    // EOF. The reader's own open() runs on libuv's thread pool and may not have started yet, so retry.
    for (let attempt = 0; attempt < 200 && stream && !readerOpened && !readerClosed; attempt++) {
      try {
        const fh = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
        await fh.close();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENXIO') return; // ENXIO: no reader yet
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };

  return {
    path,
    open() {
      if (stream) return stream;
      stream = createReadStream(path, { highWaterMark: 1 << 16 });
      stream.once('open', () => { readerOpened = true; });
      stream.once('close', () => { readerClosed = true; });
      return stream;
    },
    release,
    async cleanup() {
      await release();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
