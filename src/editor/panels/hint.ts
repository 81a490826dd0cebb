/** A one-line hint over the top of the graph, for a first visit; closed once, it stays away (then: undefined). */
import { recall, remember } from './layout.ts';

const HINT_KEY = 'disco.hintClosed';

export function showHint(host: HTMLElement, text: string): HTMLElement | undefined {
  if (recall(HINT_KEY)) return undefined;
  const el = document.createElement('div');
  el.className = 'hint';
  el.setAttribute('role', 'note');
  const span = document.createElement('span');
  span.textContent = text;
  const close = document.createElement('button');
  close.title = 'Close the hint';
  close.textContent = '✕';
  close.addEventListener('click', () => {
    remember(HINT_KEY, '1');
    el.remove();
  });
  el.append(span, close);
  host.append(el);
  return el;
}
