/**
 * The library dialog: saved workflows as cards (thumbnail, name, date) with Open and Delete. Plain
 * DOM; names are shown as text, never as HTML.
 */
import { deleteFromLibrary, listLibrary, type LibraryEntry } from '../storage/library.ts';

export interface LibraryActions {
  open(entry: LibraryEntry): void;
  toast(message: string, kind?: 'info' | 'error'): void;
}

export class LibraryDialog {
  readonly el: HTMLDialogElement;
  private readonly grid: HTMLDivElement;
  private urls: string[] = [];

  constructor(private readonly a: LibraryActions) {
    this.el = document.createElement('dialog');
    this.el.id = 'library-dialog';
    this.el.className = 'library';
    const head = document.createElement('div');
    head.className = 'library-head';
    const title = document.createElement('h2');
    title.textContent = 'Workflow library';
    const close = document.createElement('button');
    close.textContent = 'Close';
    close.className = 'library-close';
    close.addEventListener('click', () => this.el.close());
    head.append(title, close);
    this.grid = document.createElement('div');
    this.grid.className = 'library-grid';
    this.el.append(head, this.grid);
    this.el.addEventListener('close', () => this.revoke());
    document.body.append(this.el);
  }

  async show(): Promise<void> {
    await this.render();
    if (!this.el.open) this.el.showModal();
  }

  private async render(): Promise<void> {
    this.revoke();
    let entries: LibraryEntry[];
    try {
      entries = await listLibrary();
    } catch (e) {
      entries = [];
      this.a.toast(`The library cannot be read: ${(e as Error).message}`, 'error');
    }
    this.grid.replaceChildren(...entries.map((e) => this.card(e)));
    if (!entries.length) {
      const empty = document.createElement('p');
      empty.className = 'library-empty';
      empty.textContent = 'No saved workflows yet: use "Save to library" in the top bar.';
      this.grid.append(empty);
    }
  }

  private card(entry: LibraryEntry): HTMLElement {
    const card = document.createElement('div');
    card.className = 'library-card';
    card.dataset.id = entry.id;
    let img: HTMLElement;
    if (entry.thumb) {
      const url = URL.createObjectURL(entry.thumb);
      this.urls.push(url);
      img = Object.assign(document.createElement('img'), { src: url, alt: `result of ${entry.name}` });
    } else {
      img = document.createElement('div');
      img.className = 'library-nothumb';
      img.textContent = 'no result saved';
    }
    const name = document.createElement('div');
    name.className = 'library-name';
    name.textContent = entry.name;
    name.title = entry.name;
    const date = document.createElement('div');
    date.className = 'library-date';
    date.textContent = new Date(entry.savedAt).toLocaleString();
    const open = document.createElement('button');
    open.textContent = 'Open';
    open.className = 'library-open';
    open.addEventListener('click', () => {
      this.el.close();
      this.a.open(entry);
    });
    const del = document.createElement('button');
    del.textContent = 'Delete';
    del.className = 'library-delete';
    del.addEventListener('click', async () => {
      try {
        await deleteFromLibrary(entry.id);
        this.a.toast(`Deleted "${entry.name}" from the library`);
      } catch (e) {
        this.a.toast(`Could not delete "${entry.name}": ${(e as Error).message}`, 'error');
      }
      await this.render();
    });
    const buttons = document.createElement('div');
    buttons.className = 'library-buttons';
    buttons.append(open, del);
    card.append(img, name, date, buttons);
    return card;
  }

  private revoke(): void {
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls = [];
  }
}
