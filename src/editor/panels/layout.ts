/**
 * The page's panes: a drag handle between the graph and the viewer (the viewer's share of the
 * window is remembered in localStorage), and a palette that folds to a narrow strip (also remembered).
 * Sizes live in CSS variables on #app (styles.css reads them in its grid).
 */
const VIEWER_KEY = 'disco.viewerShare';
/** The viewer's share of the page's width at first. */
const DEFAULT_SHARE = 0.34;
const PALETTE_KEY = 'disco.paletteCollapsed';
const GRAPH_KEY = 'disco.graphCollapsed';
/** Fired (bubbling) inside #app to unfold a folded graph pane: something there is to be shown. */
export const SHOW_GRAPH = 'disco-show-graph';
/** Neither pane gets narrower than this many pixels. */
const MIN_VIEWER = 260, MIN_GRAPH = 280;

export interface Layout {
  /** Sets the viewer's width in pixels (kept as a share of the page's width). */
  setViewerWidth(px: number): void;
  setPaletteCollapsed(collapsed: boolean): void;
  /** Folds the graph pane to its header (where it sits under the viewer: narrow embeds). */
  setGraphCollapsed(collapsed: boolean): void;
}

export function setupLayout(app: HTMLElement, palette: HTMLElement, stage: HTMLElement): Layout {
  let share = Number(recall(VIEWER_KEY)) || DEFAULT_SHARE;
  const apply = () => {
    const max = Math.max(MIN_VIEWER, app.clientWidth - palette.offsetWidth - MIN_GRAPH);
    app.style.setProperty('--viewer-w', `${Math.round(Math.min(max, Math.max(MIN_VIEWER, share * app.clientWidth)))}px`);
  };
  const layout: Layout = {
    setViewerWidth(px: number) {
      share = Math.min(0.9, Math.max(0.05, px / Math.max(1, app.clientWidth)));
      apply();
      remember(VIEWER_KEY, share.toFixed(4));
    },
    setPaletteCollapsed(collapsed: boolean) {
      app.classList.toggle('palette-collapsed', collapsed);
      toggle.textContent = collapsed ? '»' : '«';
      toggle.title = collapsed ? 'Show the node palette' : 'Hide the node palette';
      toggle.setAttribute('aria-expanded', String(!collapsed));
      remember(PALETTE_KEY, collapsed ? '1' : '');
      apply();
    },
    setGraphCollapsed(collapsed: boolean) {
      app.classList.toggle('graph-collapsed', collapsed);
      graphToggle.textContent = collapsed ? '▸ Graph' : '▾ Graph';
      graphToggle.title = collapsed ? 'Show the node graph' : 'Fold the node graph away';
      graphToggle.setAttribute('aria-expanded', String(!collapsed));
      remember(GRAPH_KEY, collapsed ? '1' : '');
    },
  };

  const handle = document.createElement('div');
  handle.id = 'split-handle';
  handle.setAttribute('role', 'separator');
  handle.setAttribute('aria-orientation', 'vertical');
  handle.tabIndex = 0;
  handle.title = 'Drag to resize the graph and the viewer (double-click: default)';
  app.append(handle);
  handle.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    document.body.classList.add('resizing');
    const move = (m: PointerEvent) => layout.setViewerWidth(app.getBoundingClientRect().right - m.clientX - handle.offsetWidth / 2);
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      document.body.classList.remove('resizing');
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  handle.addEventListener('dblclick', () => layout.setViewerWidth(DEFAULT_SHARE * app.clientWidth));
  handle.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 80 : 20;
    const now = share * app.clientWidth;
    if (e.key === 'ArrowLeft') layout.setViewerWidth(now + step);
    else if (e.key === 'ArrowRight') layout.setViewerWidth(now - step);
  });

  const toggle = document.createElement('button');
  toggle.className = 'palette-toggle';
  toggle.addEventListener('click', () => layout.setPaletteCollapsed(!app.classList.contains('palette-collapsed')));
  palette.prepend(toggle);
  layout.setPaletteCollapsed(recall(PALETTE_KEY) === '1');

  const graphToggle = document.createElement('button');
  graphToggle.className = 'stage-toggle';
  graphToggle.addEventListener('click', () => layout.setGraphCollapsed(!app.classList.contains('graph-collapsed')));
  stage.append(graphToggle);
  layout.setGraphCollapsed(recall(GRAPH_KEY) === '1');
  app.addEventListener(SHOW_GRAPH, () => layout.setGraphCollapsed(false));
  new ResizeObserver(apply).observe(app);
  return layout;
}

/** localStorage, where the page may use it (a third-party frame may not: then nothing is remembered). */
export function recall(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage blocked: the layout lasts as long as the page
  }
}
