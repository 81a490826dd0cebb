/**
 * Resolves in a later task of the event loop, not a microtask. ONNX Runtime's WASM calls (session
 * creation, inference) run synchronously inside promise chains, so a chain of them never lets the
 * worker handle a message; awaiting this between two calls does (a `run` or `cancel` waiting behind a
 * model set's preparation is then seen at once). A MessageChannel task, unlike setTimeout(0), is not
 * clamped to 4 ms when such yields nest.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}
