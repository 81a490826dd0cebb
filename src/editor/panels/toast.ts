/** Short messages in the bottom-right corner that fade after a few seconds. */
export function toast(message: string, kind: 'info' | 'error' = 'info', ms = 4500): void {
  const host = document.getElementById('toasts')!;
  const el = document.createElement('div');
  el.className = `toast ${kind}`;
  el.textContent = message;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  host.append(el);
  setTimeout(() => el.remove(), ms);
}
