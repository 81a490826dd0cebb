/** Asks the user for one file through a hidden file input; `then` gets it (a cancelled pick does nothing). */
export function pickFile(accept: string, then: (f: File) => void | Promise<void>): void {
  for (const old of document.querySelectorAll('.hidden-file-input')) old.remove(); // a cancelled pick
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.className = 'hidden-file-input';
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    input.remove();
    if (f) void then(f);
  });
  document.body.append(input); // in the DOM so tests (and some browsers) can reach it
  input.click();
}
