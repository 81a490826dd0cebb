/** Entry point: builds the editor on the page's skeleton (index.html). */
import { allNodes } from '../nodes/index.ts';
import { EditorApp } from './app.ts';
import './styles.css';

const app = new EditorApp(allNodes, {
  topbar: document.getElementById('topbar')!,
  palette: document.getElementById('palette')!,
  canvas: document.getElementById('graph-canvas') as HTMLCanvasElement,
});
// A handle for the browser tests and for poking around in devtools.
(window as unknown as { discoEditor: EditorApp }).discoEditor = app;
