/** A workflow file (JSON or PNG) that cannot be read. The message names the problem and, where it can, the path. */
export class WorkflowFormatError extends Error {
  /** One line per problem found (the message shows the first few). */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.name = 'WorkflowFormatError';
    this.problems = problems;
  }
}
