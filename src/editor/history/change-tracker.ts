/**
 * Snapshot undo/redo, like ComfyUI's ChangeTracker: after each user gesture the app calls
 * `check()`, which serialises the graph and, if it differs from the last state, pushes the last
 * state on the undo stack. Previews live outside the graph (StatusBoard), so undo keeps them.
 */
export const MAX_HISTORY = 50;

export class ChangeTracker {
  private current: string;
  private readonly undoStack: string[] = [];
  private readonly redoStack: string[] = [];
  /** While restoring, the graph's own change callbacks must not record anything. */
  private restoring = false;

  /**
   * @param snapshot the graph's state as comparable text (without the view, which is not an edit)
   * @param restore loads a snapshot back into the graph
   * @param changed called after every recorded change, undo and redo (e.g. autosave)
   */
  constructor(
    private readonly snapshot: () => string,
    private readonly restore: (state: string) => void,
    private readonly changed: () => void = () => {},
  ) {
    this.current = snapshot();
  }

  /** Records the graph's state if it changed since the last check. Returns whether it did. */
  check(): boolean {
    if (this.restoring) return false;
    const now = this.snapshot();
    if (now === this.current) return false;
    this.undoStack.push(this.current);
    if (this.undoStack.length > MAX_HISTORY) this.undoStack.shift();
    this.redoStack.length = 0;
    this.current = now;
    this.changed();
    return true;
  }

  /** Forgets history, e.g. after opening another workflow. */
  reset(): void {
    this.undoStack.length = this.redoStack.length = 0;
    this.current = this.snapshot();
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  undo(): boolean {
    return this.step(this.undoStack, this.redoStack);
  }

  redo(): boolean {
    return this.step(this.redoStack, this.undoStack);
  }

  private step(from: string[], to: string[]): boolean {
    this.check(); // an edit not yet recorded must not be lost
    const state = from.pop();
    if (state === undefined) return false;
    to.push(this.current);
    this.current = state;
    this.restoring = true;
    try {
      this.restore(state);
    } finally {
      this.restoring = false;
    }
    this.changed();
    return true;
  }
}
