import { describe, expect, it } from 'vitest';
import { ChangeTracker, MAX_HISTORY } from './change-tracker.ts';

function setup() {
  const doc = { state: 'a' };
  let changes = 0;
  const t = new ChangeTracker(() => doc.state, (s) => (doc.state = s), () => changes++);
  return { doc, t, changes: () => changes };
}

describe('ChangeTracker', () => {
  it('records only real changes and undoes/redoes them in order', () => {
    const { doc, t, changes } = setup();
    expect(t.check()).toBe(false);
    doc.state = 'b';
    expect(t.check()).toBe(true);
    doc.state = 'c';
    t.check();
    expect(changes()).toBe(2);
    expect(t.undo()).toBe(true);
    expect(doc.state).toBe('b');
    expect(t.undo()).toBe(true);
    expect(doc.state).toBe('a');
    expect(t.undo()).toBe(false);
    expect(t.redo()).toBe(true);
    expect(doc.state).toBe('b');
  });

  it('a new edit clears redo, and an unrecorded edit is recorded before undo', () => {
    const { doc, t } = setup();
    doc.state = 'b';
    t.check();
    t.undo();
    doc.state = 'x'; // edited without check()
    expect(t.undo()).toBe(true); // records x, then goes back to a
    expect(doc.state).toBe('a');
    expect(t.canRedo).toBe(true);
    doc.state = 'y';
    t.check();
    expect(t.canRedo).toBe(false);
  });

  it(`keeps at most ${MAX_HISTORY} steps`, () => {
    const { doc, t } = setup();
    for (let i = 0; i < MAX_HISTORY + 10; i++) {
      doc.state = `s${i}`;
      t.check();
    }
    let n = 0;
    while (t.undo()) n++;
    expect(n).toBe(MAX_HISTORY);
    expect(doc.state).toBe('s9');
  });
});
