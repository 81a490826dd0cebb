/**
 * The one way Node code here reads a file it was given (images, workflows, PNGs, model sets): only a
 * regular file (or a symlink to one), at most `maxBytes`, checked with fstat before a byte is read.
 * `/dev/zero`, a FIFO, a socket or a directory is refused with one line naming the file, instead of
 * reading without end or blocking forever. Node only (node:fs).
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Limits in bytes, per kind of file. */
export const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;
export const MAX_MODEL_FILE_BYTES = 2 * 1024 * 1024 * 1024 - 1;
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export class FileReadError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'FileReadError';
  }
}

const MiB = 1024 * 1024;
const size = (n: number): string => (n < MiB ? `${n} bytes` : `${(n / MiB).toFixed(1)} MiB`);

export interface ReadOptions {
  /** What the file is, for messages: "image", "workflow", "model file". */
  readonly what: string;
  readonly maxBytes: number;
  /** The name used in messages (default: the path). */
  readonly name?: string;
}

/** The whole file, or a FileReadError `<name>: cannot read the <what> (<reason>)`. */
export async function readRegularFile(path: string, opts: ReadOptions): Promise<Buffer> {
  const fail = failing(path, opts);
  let fh: FileHandle;
  try {
    fh = await open(path, OPEN_FLAGS);
  } catch (e) {
    return failWith(fail, e);
  }
  try {
    const st = await fh.stat();
    checkStat(st, opts, fail);
    // Read what fstat said and no more: a file that grows while we read is cut at its size then.
    const out = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < out.length) {
      const { bytesRead } = await fh.read(out, at, out.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === out.length ? out : out.subarray(0, at);
  } catch (e) {
    return failWith(fail, e);
  } finally {
    await fh.close();
  }
}

/**
 * The same, synchronously: for the CLI's images, where the four hand-offs to libuv's thread pool
 * (open, stat, read, close) cost more than reading a photo (1-10 ms of waiting in a pipeline run
 * against about 0.1 ms of work; bench/README.md, "Parameter-free stages, evening pass"). With
 * `into`, the bytes go into the buffer it gives, and the result is a view of that buffer.
 */
export function readRegularFileSync(path: string, opts: ReadOptions & { readonly into?: Scratch }): Buffer {
  const fail = failing(path, opts);
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    return failWith(fail, e);
  }
  try {
    const st = fstatSync(fd);
    checkStat(st, opts, fail);
    if (opts.into) return readInto(fd, opts.into(st.size).subarray(0, st.size));
    // readFileSync reads a regular file up to the size its own fstat gives, or to its end if that is 0.
    return st.size ? readFileSync(fd) : Buffer.alloc(0);
  } catch (e) {
    return failWith(fail, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * Gives a buffer of at least `bytes` bytes to read a file into (one kept between reads: a fresh
 * buffer is fresh memory, and touching it first costs more than reading a photo into it).
 */
export type Scratch = (bytes: number) => Buffer;

/** Reads `out.length` bytes from the start of the file, or fewer if it ends first: a view of `out`. */
function readInto(fd: number, out: Buffer): Buffer {
  let at = 0;
  while (at < out.length) {
    const n = readSync(fd, out, at, out.length - at, at);
    if (n === 0) break;
    at += n;
  }
  return out.subarray(0, at);
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

type Fail = (reason: string, code?: string) => never;

function failing(path: string, opts: ReadOptions): Fail {
  return (reason, code) => {
    throw new FileReadError(`${opts.name ?? path}: cannot read the ${opts.what} (${reason})`, code);
  };
}

function failWith(fail: Fail, e: unknown): never {
  if (e instanceof FileReadError) throw e;
  const code = (e as NodeJS.ErrnoException).code;
  return fail(code ?? (e as Error).message, code);
}

/** Refuses what is not a regular file or is over the limit. */
function checkStat(st: Stats, opts: ReadOptions, fail: Fail): void {
  if (!st.isFile()) fail(`not a regular file: ${kindOf(st)}`, 'ENOTREG');
  if (st.size > opts.maxBytes) fail(`${size(st.size)}, above the limit of ${size(opts.maxBytes)}`, 'EFBIG');
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}
