/**
 * While a file is dragged over a graph that has both a photo loader and a reference loader, the
 * canvas shows two halves, "Photo" (left) and "Reference" (right), each naming the node it fills; the
 * half that will take the drop is lit. A drop right on a loader node goes to that node, and its
 * half lights up. The overlay never takes pointer events: the canvas still gets the drop.
 */
import type { DiscoNode } from '../graph/def-to-litegraph.ts';

export type DropZone = 'photo' | 'reference';

export class DropSplit {
  private readonly el: HTMLDivElement;
  private readonly zones: Record<DropZone, HTMLDivElement>;

  constructor(host: HTMLElement) {
    this.el = document.createElement('div');
    this.el.className = 'drop-split';
    this.el.hidden = true;
    const zone = (name: DropZone, title: string) => {
      const z = document.createElement('div');
      z.className = 'drop-zone';
      z.dataset.zone = name;
      const t = document.createElement('strong');
      t.textContent = title;
      z.append(t, document.createElement('span'));
      this.el.append(z);
      return z;
    };
    this.zones = { photo: zone('photo', 'Photo'), reference: zone('reference', 'Reference') };
    host.append(this.el);
  }

  get visible(): boolean {
    return !this.el.hidden;
  }

  /** The half of the canvas under the pointer. */
  zoneAt(e: MouseEvent, canvas: HTMLElement): DropZone {
    const r = canvas.getBoundingClientRect();
    return e.clientX < r.left + r.width / 2 ? 'photo' : 'reference';
  }

  /** Shows the halves with the nodes they fill, `lit` the one the drop would go to. */
  show(targets: Record<DropZone, DiscoNode>, lit: DropZone): void {
    for (const k of ['photo', 'reference'] as const) {
      this.zones[k].classList.toggle('lit', k === lit);
      this.zones[k].querySelector('span')!.textContent = `into ${targets[k].title} #${targets[k].id}`;
    }
    this.el.hidden = false;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
