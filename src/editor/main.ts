/**
 * Entry point: builds the editor on the page's skeleton (index.html). A first visit opens the
 * `?example=` workflow (default disco-auto) and runs it, a later one runs the restored graph;
 * `?example=none` starts empty and runs nothing by itself.
 */
import { allNodes } from '../nodes/index.ts';
import { EditorApp } from './app.ts';
import { setupLayout, type Layout } from './panels/layout.ts';
import './styles.css';

// The viewer column sits right of the graph (see styles.css, #app's grid).
const viewer = document.createElement('aside');
viewer.id = 'viewer';
document.getElementById('app')!.append(viewer);

let layout: Layout | undefined; // made after the app: the palette's fold button goes into the rendered palette
const app = new EditorApp(allNodes, {
  viewer,
  topbar: document.getElementById('topbar')!,
  palette: document.getElementById('palette')!,
  canvas: document.getElementById('graph-canvas') as HTMLCanvasElement,
}, {
  firstOpen: new URLSearchParams(location.search).get('example') ?? 'disco-auto',
  foldPalette: () => layout?.setPaletteCollapsed(true),
});
layout = setupLayout(document.getElementById('app')!, document.getElementById('palette')!, document.getElementById('stage')!);
// A handle for the browser tests and for poking around in devtools.
(window as unknown as { discoEditor: EditorApp }).discoEditor = app;
