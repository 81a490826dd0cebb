/**
 * `disco`: Disco Nodes on the command line. Every command runs the same engine and nodes as the
 * editor. Failures print one line naming the problem and exit non-zero (2 for a usage mistake);
 * `--verbose` adds the stack trace.
 */
import { commands, usage, UsageError } from './commands/index.ts';
import { printable } from './terminal-text.ts';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { appVersion } = await import('./app-version.ts');
    process.stdout.write(`${appVersion()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}" (try: ${Object.keys(commands).join(', ')})`);
  return command(rest);
}

const verbose = process.argv.includes('--verbose');
main(process.argv.slice(2).filter((a) => a !== '--verbose')).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    const err = e as Error;
    const message = (err?.message ?? String(e)).split('\n');
    // Messages quote text from files (titles, types, paths): control characters are escaped.
    process.stderr.write(`disco: ${printable(message[0])}\n`);
    // Multi-line messages (e.g. a list of graph problems) keep their lines, indented.
    for (const line of message.slice(1)) process.stderr.write(`  ${printable(line)}\n`);
    if (verbose && err?.stack) process.stderr.write(`${err.stack}\n`);
    if (err instanceof UsageError) process.stderr.write('Run "disco --help" for usage.\n');
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
