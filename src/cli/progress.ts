/**
 * A one-line progress bar on stderr, fed by the executor's per-node events. On a terminal it
 * redraws in place; otherwise (CI, pipes) it prints one line per finished node.
 */
import type { NodeEvent } from '../runtime/engine/events.ts';
import { printable } from './terminal-text.ts';

export class ProgressBar {
  private readonly planned = new Set<string>();
  private readonly finished = new Set<string>();
  private current = '';
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr, private readonly labels: (id: string) => string = (id) => id) {
    this.tty = Boolean(out.isTTY);
  }

  readonly onEvent = (e: NodeEvent): void => {
    if (e.state === 'pending') this.planned.add(e.nodeId);
    if (e.state === 'running') this.current = this.labels(e.nodeId) + (e.progress ? ` ${e.progress.done}/${e.progress.total}` : '');
    if (e.state === 'running' && e.warning) this.line(`note: ${this.labels(e.nodeId)}: ${e.warning}`);
    if (e.state === 'done' || e.state === 'cached' || e.state === 'error' || e.state === 'skipped') {
      this.finished.add(e.nodeId);
      if (!this.tty) {
        const detail = e.state === 'done' ? `${Math.round(e.ms ?? 0)} ms` : e.state === 'error' ? 'failed' : e.state;
        this.line(`[${this.finished.size}/${this.planned.size}] ${this.labels(e.nodeId)}: ${detail}`);
      }
    }
    if (this.tty) this.draw();
  };

  private draw(): void {
    const total = Math.max(1, this.planned.size);
    const width = 24;
    const filled = Math.round((this.finished.size / total) * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    this.out.write(`\r[${bar}] ${this.finished.size}/${this.planned.size} ${printable(this.current)}`.padEnd(90).slice(0, 100));
  }

  private line(text: string): void {
    if (this.tty) this.out.write('\r' + ' '.repeat(100) + '\r');
    this.out.write(printable(text) + '\n'); // labels and warnings quote titles from the file
  }

  /** Clears the bar so the next output starts on a clean line. */
  end(): void {
    if (this.tty) this.out.write('\r' + ' '.repeat(100) + '\r');
  }
}
