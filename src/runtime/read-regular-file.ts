/**
 * The one way Node code here reads a file it was given (images, workflows, PNGs, model sets): only a
 * regular file (or a symlink to one), at most `maxBytes`, checked with fstat before a byte is read.
 * `/dev/zero`, a FIFO, a socket or a directory is refused with one line naming the file, instead of
 * reading without end or blocking forever. Node only (node:fs).
 */
import { constants } from 'node:fs';
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
  const name = opts.name ?? path;
  const fail = (reason: string, code?: string): never => {
    throw new FileReadError(`${name}: cannot read the ${opts.what} (${reason})`, code);
  };
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code ?? (e as Error).message, code);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return fail(`not a regular file: ${kindOf(st)}`, 'ENOTREG');
    if (st.size > opts.maxBytes) return fail(`${size(st.size)}, above the limit of ${size(opts.maxBytes)}`, 'EFBIG');
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
    if (e instanceof FileReadError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code ?? (e as Error).message, code);
  } finally {
    await fh.close();
  }
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}
