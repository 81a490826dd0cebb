/**
 * The batch's progress on stderr: on a terminal one bar redrawn in place (photos done, photos/s,
 * time left); otherwise (CI, pipes, logs) one plain line per photo. Failures are always printed as
 * they happen, one line each; the summary comes at the end. File names are shown relative to the
 * current folder when inside it, with control characters escaped.
 */
import { isAbsolute, relative } from 'node:path';
import { printable } from '../terminal-text.ts';

/** A path as the progress lines show it. */
export function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return printable(r && !r.startsWith('..') && !isAbsolute(r) ? r : path);
}

export interface BatchCounts {
  done: number;
  skipped: number;
  failed: number;
}

export class BatchProgress {
  readonly counts: BatchCounts = { done: 0, skipped: 0, failed: 0 };
  private readonly tty: boolean;
  private readonly started: number;
  private readonly width = 100;
  /** On a terminal the bar is redrawn every second, so the time left moves while a photo runs. */
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly out: NodeJS.WriteStream, readonly total: number, private readonly now = () => performance.now()) {
    this.tty = Boolean(out.isTTY);
    this.started = now();
    if (this.tty) {
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
      this.draw();
    }
  }

  private get finished(): number {
    return this.counts.done + this.counts.skipped + this.counts.failed;
  }

  skipped(input: string, output: string): void {
    this.counts.skipped++;
    if (!this.tty) this.line(`[${this.finished}/${this.total}] skipped ${shown(input)}: ${shown(output)} exists (--force replaces it)`);
    else this.draw();
  }

  done(input: string, output: string, ms: number): void {
    this.counts.done++;
    if (!this.tty) this.line(`[${this.finished}/${this.total}] ${shown(input)} -> ${shown(output)} (${(ms / 1000).toFixed(1)} s)`);
    else this.draw();
  }

  failed(input: string, message: string): void {
    this.counts.failed++;
    this.line(`[${this.finished}/${this.total}] failed ${shown(input)}: ${printable(message)}`);
    if (this.tty) this.draw();
  }

  /** Photos per second over the photos that ran (skips are not work), since the batch started. */
  rate(): number {
    const s = (this.now() - this.started) / 1000;
    const ran = this.counts.done + this.counts.failed;
    return s > 0 ? ran / s : 0;
  }

  elapsedMs(): number {
    return this.now() - this.started;
  }

  /** The bar: `[#####-----] 12/41  1.8 photos/s  0:16 left`. */
  barText(): string {
    const slots = 24;
    const filled = Math.round((this.finished / Math.max(1, this.total)) * slots);
    const rate = this.rate();
    const left = this.total - this.finished;
    const eta = rate > 0 ? clock(left / rate) : '--:--';
    const failed = this.counts.failed ? `  ${this.counts.failed} failed` : '';
    return `[${'#'.repeat(filled)}${'-'.repeat(slots - filled)}] ${this.finished}/${this.total}  ${rate.toFixed(2)} photos/s  ${eta} left${failed}`;
  }

  draw(): void {
    if (this.tty) this.out.write(`\r${this.barText().padEnd(this.width).slice(0, this.width)}`);
  }

  private line(text: string): void {
    if (this.tty) this.out.write(`\r${' '.repeat(this.width)}\r`);
    this.out.write(text + '\n');
  }

  /** Clears the bar and prints the summary line. */
  end(): string {
    clearInterval(this.timer);
    if (this.tty) this.out.write(`\r${' '.repeat(this.width)}\r`);
    const { done, skipped, failed } = this.counts;
    const secs = this.elapsedMs() / 1000;
    const summary = `colorized ${done}, skipped ${skipped} (already done), failed ${failed}, of ${this.total} photos in ${secs.toFixed(1)} s (${this.rate().toFixed(2)} photos/s)`;
    this.out.write(summary + '\n');
    return summary;
  }
}

/** Seconds as m:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}
