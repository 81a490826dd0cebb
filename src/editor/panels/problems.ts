/**
 * The problems panel: after a run that failed, one line per failed node with its message in
 * readable type and a "Show node" button that brings the node into view. Nodes the run never
 * reached because of a failure are not listed (their only problem is the failed node's).
 */
export interface Problem {
  /** The node that failed; undefined for a problem of the whole run (an invalid graph). */
  readonly nodeId?: string;
  readonly title: string;
  readonly message: string;
}

export class ProblemsPanel {
  readonly el = document.createElement('section');

  constructor(host: HTMLElement, private readonly showNode: (nodeId: string) => void) {
    this.el.className = 'problems';
    this.el.setAttribute('role', 'alert');
    this.el.hidden = true;
    host.append(this.el);
  }

  /** Lists `problems` (an empty list hides the panel). */
  show(problems: readonly Problem[]): void {
    this.el.replaceChildren();
    this.el.hidden = !problems.length;
    if (!problems.length) return;
    const head = document.createElement('div');
    head.className = 'problems-head';
    const title = document.createElement('strong');
    title.textContent = problems.length === 1 ? 'The run failed' : `The run failed at ${problems.length} nodes`;
    const close = document.createElement('button');
    close.className = 'problems-close';
    close.title = 'Close';
    close.textContent = '✕';
    close.addEventListener('click', () => this.clear());
    head.append(title, close);
    const list = document.createElement('ul');
    for (const p of problems) {
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'problem-node';
      name.textContent = p.title;
      const msg = document.createElement('span');
      msg.className = 'problem-message';
      msg.textContent = p.message;
      li.append(name, msg);
      if (p.nodeId !== undefined) {
        const id = p.nodeId;
        const show = document.createElement('button');
        show.className = 'problem-show';
        show.textContent = 'Show node';
        show.addEventListener('click', () => this.showNode(id));
        li.append(show);
      }
      list.append(li);
    }
    this.el.append(head, list);
  }

  clear(): void {
    this.show([]);
  }
}
