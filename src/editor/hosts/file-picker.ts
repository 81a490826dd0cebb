/**
 * The plainest host: a page with a file picker. The picture is a file the user chooses; each
 * result is shown under the panel with a download link, and the file itself is never touched.
 */
import type { HostBridge, ResultMeta } from './host-bridge.ts';

export class FilePickerBridge implements HostBridge {
  readonly name = 'File';
  readonly onReady = Promise.resolve();
  private file: File | undefined;

  /** `input`: a file input the page shows; `results`: where result images go. */
  constructor(private readonly ui: { input: HTMLInputElement; results: HTMLElement }) {
    ui.input.type = 'file';
    ui.input.accept = 'image/*';
    ui.input.addEventListener('change', () => (this.file = ui.input.files?.[0] ?? this.file));
  }

  async getImage(): Promise<Blob> {
    const file = this.file ?? (await this.pick());
    if (!file.type.startsWith('image/')) throw new Error(`${file.name} is not an image (${file.type || 'unknown type'})`);
    return file;
  }

  async putResult(png: Blob, meta: ResultMeta): Promise<void> {
    const url = URL.createObjectURL(png);
    const figure = document.createElement('figure');
    figure.className = 'plugin-result';
    const img = Object.assign(document.createElement('img'), { src: url, alt: meta.name });
    const link = Object.assign(document.createElement('a'), { href: url, download: `${meta.name}.png`, textContent: `Download ${meta.name}.png (${meta.width}×${meta.height})` });
    figure.append(img, link);
    this.ui.results.prepend(figure);
  }

  async documentKey(): Promise<string | undefined> {
    return this.file ? `${this.file.name}:${this.file.size}` : undefined;
  }

  /** Opens the picker (from the Colorize click, so the browser allows it). */
  private pick(): Promise<File> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.ui.input.removeEventListener('cancel', cancelled);
        if (this.file) resolve(this.file);
        else reject(new Error('choose a picture first'));
      };
      const cancelled = () => {
        this.ui.input.removeEventListener('change', done);
        reject(new Error('no picture chosen'));
      };
      this.ui.input.addEventListener('change', done, { once: true });
      this.ui.input.addEventListener('cancel', cancelled, { once: true });
      this.ui.input.click();
    });
  }
}
