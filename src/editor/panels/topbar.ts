/**
 * The top bar: file actions, run/cancel, the whole-run progress bar, run summary and a slot for
 * the backend indicator (backend-picker.ts). Plain DOM; the app wires the callbacks and calls the
 * setters. Below 1300 px the file actions fold into a "☰" menu and the rest wraps (styles.css).
 */
import { recall, remember } from './layout.ts';

/** localStorage key of the Auto-run choice ('off' when unchecked). */
const AUTO_RUN_KEY = 'disco.autoRun';

export interface TopbarActions {
  run(): void;
  cancel(): void;
  open(): void;
  save(): void;
  newGraph(): void;
  undo(): void;
  redo(): void;
  /** Opens an example workflow by name. */
  example(name: string): void;
  /** Saves the graph (and a thumbnail of its result) in the browser's workflow library. */
  saveToLibrary(): void;
  /** Shows the workflow library. */
  library(): void;
}

export class Topbar {
  /** "Auto-run": rerun after each anchor edit; the page's opening graph runs by itself. */
  readonly autoRun: HTMLInputElement;
  private readonly runBtn: HTMLButtonElement;
  private readonly cancelBtn: HTMLButtonElement;
  private readonly bar: HTMLDivElement;
  /** What the progress bar shows at the next frame; set while one is asked for. */
  private nextProgress: (() => { done: number; total: number }) | undefined;
  private readonly status: HTMLSpanElement;
  /** Where the app mounts the BackendPicker. */
  readonly backendSlot: HTMLDivElement;

  constructor(host: HTMLElement, a: TopbarActions, examples: readonly string[] = []) {
    host.replaceChildren();
    const brand = el('span', 'brand', 'Disco Nodes');
    const button = (label: string, title: string, onClick: () => void, cls = '') => {
      const b = el('button', cls, label) as HTMLButtonElement;
      b.title = title;
      b.addEventListener('click', onClick);
      return b;
    };
    const iconButton = (icon: string, label: string, keys: string, onClick: () => void) => {
      const b = button('', `${label} (${keys})`, onClick, 'icon');
      b.ariaLabel = label;
      b.append(el('span', 'icon-glyph', icon), el('span', 'menu-label', label));
      return b;
    };
    const files = el('div', 'group files');
    files.id = 'file-actions';
    const menuToggle = button('☰', 'File actions', () => files.classList.toggle('open'), 'menu-toggle');
    menuToggle.id = 'menu-toggle';
    menuToggle.setAttribute('aria-controls', files.id);
    // A folded menu closes after a choice, or on a click anywhere else.
    files.addEventListener('click', (e) => (e.target as HTMLElement).closest('button') && files.classList.remove('open'));
    files.addEventListener('change', () => files.classList.remove('open'));
    document.addEventListener('pointerdown', (e) => {
      if (!(e.target as HTMLElement).closest('#file-actions, #menu-toggle')) files.classList.remove('open');
    }, true); // capture: the graph canvas stops the pointerdowns it handles
    files.append(
      button('New', 'Start an empty graph', a.newGraph),
      button('Open…', 'Open a workflow JSON (or drop it on the canvas)', a.open),
      button('Save', 'Download the workflow as JSON (Ctrl+S)', a.save),
      Object.assign(button('Save to library', 'Keep the workflow in this browser under a name, with a thumbnail of its result', a.saveToLibrary), { id: 'save-library' }),
      Object.assign(button('Library…', 'Saved workflows: open or delete', a.library), { id: 'library-button' }),
      // Arrows on the bar (it is crowded at common laptop widths, 1366-1440 px), words in the folded menu.
      iconButton('↶', 'Undo', 'Ctrl+Z', a.undo),
      iconButton('↷', 'Redo', 'Ctrl+Shift+Z', a.redo),
    );
    this.runBtn = button('▶ Run', 'Run the graph (Ctrl+Enter)', a.run, 'primary');
    this.runBtn.id = 'run-button';
    this.cancelBtn = button('■ Cancel', 'Stop the run', a.cancel);
    this.cancelBtn.id = 'cancel-button';
    this.cancelBtn.disabled = true;
    const progress = el('div', 'progress');
    this.bar = el('div', 'progress-fill') as HTMLDivElement;
    progress.append(this.bar);
    this.status = el('span', 'run-status', 'Ready');
    this.status.id = 'run-status';
    this.backendSlot = el('div', 'backend-slot') as HTMLDivElement;
    const menu = el('select', 'examples') as HTMLSelectElement;
    menu.id = 'examples-menu';
    menu.title = 'Open an example workflow (your photo stays)';
    menu.append(new Option('Examples…', ''), ...examples.map((n) => new Option(n, n)));
    menu.addEventListener('change', () => {
      if (menu.value) a.example(menu.value);
      menu.value = '';
    });
    files.append(menu);
    const auto = el('label', 'toggle', '') as HTMLLabelElement;
    auto.title = 'Rerun after each anchor edit, and run the graph the page opens with (remembered)';
    this.autoRun = document.createElement('input');
    this.autoRun.type = 'checkbox';
    this.autoRun.id = 'auto-run';
    this.autoRun.checked = recall(AUTO_RUN_KEY) !== 'off';
    this.autoRun.addEventListener('change', () => remember(AUTO_RUN_KEY, this.autoRun.checked ? '' : 'off'));
    auto.append(this.autoRun, ' Auto-run');
    // The bar over the status line: one column, so the status keeps more of its width.
    const runProgress = el('div', 'run-progress');
    runProgress.append(progress, this.status);
    const runGroup = el('div', 'group');
    runGroup.append(this.runBtn, this.cancelBtn, auto, runProgress);
    const fileMenu = el('div', 'file-menu');
    fileMenu.append(menuToggle, files);
    host.append(brand, fileMenu, runGroup, this.backendSlot);
  }

  setRunning(running: boolean): void {
    this.runBtn.disabled = running;
    this.cancelBtn.disabled = !running;
    document.body.classList.toggle('running', running);
  }

  /**
   * The bar shows `progress()` at the next frame: a run reports many changes a frame, the bar is
   * drawn once. It scales (a transform) rather than resizing, so it needs no layout pass.
   */
  showProgress(progress: () => { done: number; total: number }): void {
    const asked = this.nextProgress !== undefined;
    this.nextProgress = progress;
    if (asked) return;
    requestAnimationFrame(() => {
      const { done, total } = this.nextProgress!();
      this.nextProgress = undefined;
      this.bar.style.transform = `scaleX(${total ? Math.min(1, done / total) : 0})`;
    });
  }

  setStatus(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
    this.status.textContent = text;
    this.status.title = text; // the whole text on hover where a narrow top bar cuts it short
    this.status.dataset.kind = kind;
  }
}

function el(tag: string, cls: string, text = ''): HTMLElement {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}
