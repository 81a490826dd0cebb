/** The `disco` subcommands and the usage text. */
export { UsageError } from '../usage-error.ts';

export type Command = (args: string[]) => Promise<number>;

/** Each command's module loads when it runs (a batch's parent process then starts its workers sooner). */
export const commands: Record<string, Command> = {
  run: async (args) => (await import('./run.ts')).runCommand(args),
  colorize: async (args) => (await import('./colorize.ts')).colorizeCommand(args),
  inspect: async (args) => (await import('./inspect.ts')).inspectCommand(args),
  models: async (args) => (await import('./models.ts')).modelsCommand(args),
  eval: async (args) => (await import('./eval.ts')).evalCommand(args),
  bench: async (args) => (await import('./bench.ts')).benchCommand(args),
};

export function usage(): string {
  return `disco: colorize grayscale photos with DISCO, stage by stage

Usage:
  disco colorize <image> [-o out.png] [--force] [--anchors K] [--diverse N] [--reference <photo>] [--workflow <file>]
      Colorize one photo with the default workflow (workflows/disco-auto.json). --reference takes
      the anchor colours from a colour photo (workflows/reference-guided.json); with several
      photos, one reference serves them all.
  disco colorize <image|folder|glob>... -o <folder> [--force] [--jobs N] [...]
      Colorize many photos on all cores into <folder>/<name>.png; photos already done are
      skipped, a bad photo is reported and the rest go on (exit 1 if any failed).
  disco run <workflow.json|png> [--input <image>] [--output <png>] [--force] [--set <nodeId>.<param>=<value>]... [--dump <dir>]
      Run a workflow headless. --dump writes every node's outputs in an inspectable form.
  disco inspect <workflow.json|png>
      List the nodes, parameters and models of a workflow (also one embedded in a PNG).
  disco models list | import <checkpoint> [--name disco-official]
      List the installed model sets, or import the official DISCO checkpoint.
  disco eval <folder> [--models <set>] [--oracle-anchors | --reference-mode flipped|unrelated] [--workflow <file>] [--set <nodeId>.<param>=<value>]... [--limit N] [--json out.json]
      Turn each photo gray, colorize it, and score it against the original (PSNR, SSIM,
      colourfulness, CIEDE2000), beside the gray photo's own scores. --oracle-anchors takes
      the anchor colours from the original. --reference-mode gives each photo a colour reference:
      its own original mirrored and shifted a quarter width (flipped), or another photo's (unrelated).
  disco bench [--runs N] [--full-size-runs N] [--no-full-size] [--quick] [--engines cpu,torch,wasm,webgpu,browser,batch]
      Time each stage and the whole pipeline (ours beside PyTorch), peak memory, the editor in
      Chromium and batch photos/s; see bench/README.md.

Common options:
  --backend B            cpu, webgpu or auto: kernels for the parameter-free stages (default
                         cpu; auto: WebGPU on a hardware adapter, else cpu, and says why)
  --max-pixels N         refuse larger input images (default 50000000)
  --max-memory MB        refuse input images whose run would need more memory, estimated at
                         48 bytes per pixel (default: half the machine's memory, at most 8000)
  --models-dir DIR       folder of model sets for Load Model Set (default: models/)
  --force                replace an existing output file (never an input)
  --verbose              print stack traces on errors
`;
}
