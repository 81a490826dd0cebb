/**
 * The top bar's backend indicator: what the engine runs on over why, in two short lines (e.g.
 * "CPU + WASM (2 threads)" over "software WebGPU adapter (SwiftShader) would be slower"), and a menu
 * to switch (Auto / WebGPU / CPU + WASM). The choice is remembered by the engine client; `?backend=`
 * in the URL overrides it.
 */
import type { BackendChoice, BackendInfo } from '../worker/protocol.ts';

const CHOICES: readonly [BackendChoice, string, string][] = [
  ['auto', 'Auto', 'WebGPU on a hardware GPU; CPU kernels + WASM on a software adapter or without WebGPU'],
  ['webgpu', 'WebGPU', 'WebGPU even on a software adapter (slow without a GPU)'],
  ['cpu', 'CPU', 'CPU kernels and onnxruntime-web WASM, one thread per core when the page allows'],
];

export class BackendPicker {
  private readonly label: HTMLSpanElement;
  private readonly why: HTMLSpanElement;
  private readonly menu: HTMLSelectElement;
  private readonly hint: string;

  constructor(host: HTMLElement, choice: BackendChoice, fromUrl: boolean, onSwitch: (c: BackendChoice) => void) {
    host.classList.add('backend-picker');
    this.label = document.createElement('span');
    this.label.id = 'backend';
    this.label.className = 'backend';
    this.label.textContent = 'starting engine…';
    this.why = document.createElement('span');
    this.why.id = 'backend-why';
    this.why.className = 'backend-why';
    this.menu = document.createElement('select');
    this.menu.id = 'backend-choice';
    this.hint = fromUrl
      ? 'Backend: set by ?backend= in the address (it wins over this menu on reload)'
      : 'Backend for the parameter-free stages and the networks (remembered in this browser)';
    this.menu.title = this.hint;
    for (const [value, text, title] of CHOICES) {
      const o = new Option(text, value);
      o.title = title;
      this.menu.append(o);
    }
    this.menu.value = choice;
    this.menu.addEventListener('change', () => {
      this.label.textContent = 'switching…';
      this.why.textContent = '';
      onSwitch(this.menu.value as BackendChoice);
    });
    const text = document.createElement('span');
    text.className = 'backend-text';
    text.append(this.label, this.why);
    host.replaceChildren(this.menu, text);
  }

  /** Shows what the engine reported. `detail`: the full line for the tooltip. */
  show(info: BackendInfo, detail: string): void {
    this.label.textContent = info.label;
    this.label.title = detail;
    this.why.textContent = info.reason;
    this.why.title = detail;
    this.menu.title = `${detail}\n${this.hint}`;
    this.menu.value = info.choice;
  }
}
