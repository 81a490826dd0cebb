/**
 * The ModelHost that runs DISCO's learned stages with ONNX Runtime. It reads manifests and files from
 * a ModelSource, checks each file's SHA-256 and its graph against the stage contract, keeps one
 * session per model file (keyed by sha256, created once, reused by every load of that file), and
 * checks feed names and shapes before a run so errors name the stage, tensor and shapes.
 *
 * Usage (Node):
 *   const host = new OnnxModelHost({ source: fsModelSource(), gateway: createNodeGateway() });
 *   const model = await host.load('disco-lite', 'backbone');
 *   const { features } = await host.run(model, { gray });
 */
import type { ModelHost, ModelSetInfo } from '../engine/context.ts';
import { cpuTensor, type CpuTensor, type GpuTensor, type Tensor } from '../values/tensor.ts';
import type { ModelValue } from '../values/types.ts';
import { parseManifest, stageEntryOf, verifySha256, type ModelSetManifest, type StageEntry } from './manifest.ts';
import type { ModelSource } from './model-source.ts';
import { nextTask } from './next-task.ts';
import type { OrtGateway, OrtSession } from './ort-gateway.ts';
import {
  STAGE_CONTRACT, STAGE_NAMES, assertStageName, checkShapes, nameDiff, shapeConflict, showShape,
  type Dim, type PortContract, type StageName,
} from './stage-contract.ts';

export interface OnnxModelHostOptions {
  readonly source: ModelSource;
  /** The ORT build to run on; a promise lets onnxruntime load only when the first model does. */
  readonly gateway: OrtGateway | Promise<OrtGateway>;
  /**
   * Reads a GpuTensor back to the CPU when the gateway takes CPU tensors only (pass the backend's
   * `download`). Without it, a GPU feed to a CPU gateway is an error.
   */
  readonly readback?: (t: GpuTensor) => Promise<CpuTensor>;
}

/** What a loaded stage's handle points at: its session and the shapes feeds are checked against. */
interface Loaded {
  readonly session: OrtSession;
  readonly label: string;
  readonly inputs: readonly PortContract[];
  readonly outputs: readonly PortContract[];
}

const labelOf = (set: string, stage: string, file: string): string => `model set "${set}" stage "${stage}" (${file})`;

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('the run was cancelled', 'AbortError');
}

export class OnnxModelHost implements ModelHost {
  private readonly sessions = new Map<string, Promise<OrtSession>>();
  /** Handles this host made, so a MODEL value from another host (or a released one) is reloaded. */
  private readonly handles = new WeakSet<object>();
  /** Manifests being read or read for a run (see `manifest`). */
  private readonly manifestsOfRun = new WeakMap<object, Map<string, Promise<ModelSetManifest>>>();
  /** Checked manifests by the JSON they came from: a source that gives the same object for unchanged text is not parsed again. */
  private readonly parsedManifests = new WeakMap<object, ModelSetManifest>();
  /** Per model file path: the stamp of the bytes last checked against a sha256 (sources with `stamp`). */
  private readonly checkedFiles = new Map<string, { stamp: string; sha256: string; done: Promise<unknown> }>();
  /** Per set and stage, the last load: what it was made from and the MODEL value it gave. */
  private readonly loadedStages = new Map<string, { manifest: ModelSetManifest; entry: StageEntry; session: OrtSession; model: ModelValue }>();
  /** How many ORT sessions this host created (for tests and `disco models`). */
  sessionsCreated = 0;

  constructor(private readonly opts: OnnxModelHostOptions) {}

  listSets(): Promise<string[]> {
    return this.opts.source.listSets();
  }

  /**
   * A set's manifest, read and checked. Calls with the same `run` (a run's signal, or any object that
   * stands for one unit of work) share one read, so a run that fingerprints and loads all five stages
   * reads the manifest once; the next run reads it again and sees a set changed meanwhile.
   */
  manifest(set: string, run?: object): Promise<ModelSetManifest> {
    if (!run) return this.readManifest(set);
    let byRun = this.manifestsOfRun.get(run);
    if (!byRun) this.manifestsOfRun.set(run, (byRun = new Map()));
    let m = byRun.get(set);
    if (!m) {
      m = this.readManifest(set);
      byRun.set(set, m);
      const mine = byRun;
      m.catch(() => mine.delete(set));
    }
    return m;
  }

  private async readManifest(set: string): Promise<ModelSetManifest> {
    const json = await this.opts.source.readManifest(set);
    const known = typeof json === 'object' && json !== null ? this.parsedManifests.get(json) : undefined;
    if (known) return known;
    const manifest = parseManifest(json, this.opts.source.where(set, 'manifest.json'));
    if (typeof json === 'object' && json !== null) this.parsedManifests.set(json, manifest);
    return manifest;
  }

  async describeSet(set: string, run?: object): Promise<ModelSetInfo> {
    const m = await this.manifest(set, run);
    const stages = Object.fromEntries(Object.entries(m.stages).map(([k, e]) => [k, { file: e.file, sha256: e.sha256 }]));
    return { name: m.name, cell: m.cell, workingSize: m.workingSize, stages };
  }

  async load(set: string, stageName: string, run?: object): Promise<ModelValue> {
    const stage = assertStageName(stageName);
    const where = this.opts.source.where(set, 'manifest.json');
    const m = await this.manifest(set, run);
    // The same manifest and session as last time: the checks below passed for them, the value stands.
    const known = this.loadedStages.get(`${set}/${stage}`);
    const entry = known?.manifest === m ? known.entry : stageEntryOf(m, stage, where);
    const label = labelOf(set, stage, entry.file);
    const session = await this.session(set, entry.file, entry.sha256, entry.bytes, label);
    if (known?.manifest === m && known.session === session) return known.model;
    checkSessionContract(stage, session, label);
    const c = STAGE_CONTRACT[stage];
    // Feeds are checked against the contract with any fixed sizes the manifest or the file declares.
    const handle: Loaded = {
      session, label,
      inputs: expectedPorts(c.inputs, [entry.inputs, session.shapes]),
      outputs: expectedPorts(c.outputs, [entry.outputs, session.shapes]),
    };
    this.handles.add(handle);
    const model: ModelValue = {
      set, stage, file: entry.file, sha256: entry.sha256, handle, cell: m.cell, workingSize: m.workingSize,
      inputs: c.inputs.map((p) => p.name), outputs: c.outputs.map((p) => p.name),
    };
    this.loadedStages.set(`${set}/${stage}`, { manifest: m, entry, session, model });
    return model;
  }

  async run(model: ModelValue, feeds: Record<string, Tensor>, signal?: AbortSignal): Promise<Record<string, Tensor>> {
    if (signal?.aborted) throw abortError(signal);
    const stage = assertStageName(model.stage);
    const { session, label, inputs: expected, outputs: outPorts } = await this.loadedOf(model, stage);

    const diff = nameDiff(expected.map((p) => p.name), Object.keys(feeds));
    if (diff) throw new Error(`${label}: wrong inputs: ${diff}`);
    for (const [name, t] of Object.entries(feeds)) {
      if (t.dtype !== 'float32') throw new Error(`${label}: input "${name}" must be float32, got ${t.dtype}`);
    }
    const shapes = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t.shape]));
    const bad = checkShapes(expected, shapes, 'input');
    if (bad) throw new Error(`${label}: ${bad}`);

    const gateway = await this.opts.gateway;
    const ready: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ready[name] = await this.placed(t, name, label, gateway);

    const out = await session.run(ready);
    if (signal?.aborted) throw abortError(signal);
    const missing = outPorts.filter((p) => !out[p.name]).map((p) => p.name);
    if (missing.length) throw new Error(`${label}: the model gave no ${missing.join(', ')}`);
    // Outputs share the letters bound by the inputs (e.g. H, W), so check them together.
    const allShapes = { ...shapes, ...Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.shape])) };
    const badOut = checkShapes([...expected, ...outPorts], allShapes, 'output');
    if (badOut) throw new Error(`${label}: ${badOut}`);
    return out;
  }

  /**
   * Loads every stage of `set` ahead of a run, so the run finds its sessions made: the files are read
   * together, then the sessions created (one at a time, as ORT-web creates them). With `warmUp`, each
   * session then runs once on zeros at the set's working size, because a session's first inference
   * costs several times the next one in onnxruntime-web (its WASM functions are compiled on first
   * call, its buffers allocated); a warm-up not yet started when `warmUp` aborts (a run wants the
   * runtime) is skipped; every step is a task of its own, so such a run is seen between any two.
   * Only on a gateway that gives CPU tensors: on WebGPU, outputs would be GPU buffers to free, and
   * the first inference pays for shader compilation instead (not measured).
   */
  async prepare(set: string, warmUp?: AbortSignal): Promise<ModelValue[]> {
    const run = {};
    const m = await this.manifest(set, run);
    const stages = STAGE_NAMES.filter((s) => m.stages[s]);
    const loading = Promise.all(stages.map((s) => this.load(set, s, run)));
    // The files' downloads are under way (each load's fetch starts before its first await): start the
    // runtime meanwhile, not after the first file arrives, if nobody started it yet (the editor's
    // engine worker starts it at init).
    const gateway = await this.opts.gateway;
    gateway.start?.();
    const loaded = await loading;
    if (!warmUp || gateway.acceptsGpuTensors) return loaded;
    for (const model of loaded) {
      await nextTask(); // a run that arrived meanwhile aborts `warmUp` before the next one starts
      if (warmUp!.aborted) break;
      const { inputs } = model.handle as Loaded;
      const feeds = Object.fromEntries(inputs.map((p) => [p.name, cpuTensor(zeroShape(p.shape, m.workingSize, m.cell))]));
      await this.run(model, feeds);
    }
    return loaded;
  }

  /** Releases every session (e.g. on page exit: WASM memory never shrinks otherwise). */
  async release(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    this.loadedStages.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.release()));
  }

  private session(set: string, file: string, sha256: string, bytes: number, label: string): Promise<OrtSession> {
    const source = this.opts.source;
    const path = source.where(set, file);
    const stamp = source.stamp?.(set, file); // before reading: a change meanwhile gives a new stamp next time
    const made = this.sessions.get(sha256);
    if (!made) {
      const data = this.readChecked(set, file, sha256, bytes);
      this.noteChecked(path, stamp, sha256, data);
      const p = this.createSession(data, label);
      this.sessions.set(sha256, p);
      p.catch(() => this.sessions.delete(sha256)); // a failed load may be retried
      return p;
    }
    if (!source.stamp) return made; // the source cannot tell whether the file changed: its first check stands
    const known = this.checkedFiles.get(path);
    if (stamp !== undefined && known?.stamp === stamp && known.sha256 === sha256) return known.done.then(() => made);
    // Changed since its bytes were checked (or another file with the same sha256): read and check it
    // again, so a replaced or corrupted file fails here as it would in a new process.
    const done = this.readChecked(set, file, sha256, bytes);
    this.noteChecked(path, stamp, sha256, done);
    return done.then(() => made);
  }

  private noteChecked(path: string, stamp: string | undefined, sha256: string, done: Promise<unknown>): void {
    if (stamp === undefined) return;
    this.checkedFiles.set(path, { stamp, sha256, done });
    done.catch(() => { if (this.checkedFiles.get(path)?.done === done) this.checkedFiles.delete(path); });
  }

  private async createSession(data: Promise<Uint8Array>, label: string): Promise<OrtSession> {
    const checked = await data;
    const gateway = await this.opts.gateway;
    const session = await gateway.createSession(checked, label);
    this.sessionsCreated++;
    return session;
  }

  /** A model file's bytes, refused unless their size and sha256 are the manifest's. */
  private async readChecked(set: string, file: string, sha256: string, bytes: number): Promise<Uint8Array> {
    const data = await this.opts.source.readFile(set, file);
    const path = this.opts.source.where(set, file);
    if (data.byteLength !== bytes) {
      throw new Error(`${path}: the file has ${data.byteLength} bytes, the manifest says ${bytes}; it is truncated or replaced`);
    }
    await verifySha256(data, sha256, path);
    return data;
  }

  /** The loaded stage behind a MODEL value; a value made by another host (or before a release) is reloaded. */
  private async loadedOf(model: ModelValue, stage: StageName): Promise<Loaded> {
    const h = model.handle as Loaded;
    const current = this.sessions.get(model.sha256);
    if (h && typeof h === 'object' && this.handles.has(h) && current && (await current) === h.session) return h;
    const again = await this.load(model.set, stage);
    if (again.sha256 !== model.sha256) {
      throw new Error(`model set "${model.set}" stage "${stage}" changed since it was loaded ` +
        `(sha256 ${model.sha256} then, ${again.sha256} now); run Load Model Set again`);
    }
    return again.handle as Loaded;
  }

  private async placed(t: Tensor, name: string, label: string, gateway: OrtGateway): Promise<Tensor> {
    if (t.location === 'cpu' || gateway.acceptsGpuTensors) return t;
    if (!this.opts.readback) {
      throw new Error(`${label}: input "${name}" is on the GPU, but ${gateway.description} takes CPU tensors and this host has no readback`);
    }
    return this.opts.readback(t);
  }
}

/** A port's shape for a warm-up: batch 1, pixels (H, W) at the working size, tokens (h, w) one per cell. */
function zeroShape(shape: readonly Dim[], workingSize: number, cell: number): number[] {
  return shape.map((d) => (typeof d === 'number' ? d : d === 'H' || d === 'W' ? workingSize : d === 'h' || d === 'w' ? workingSize / cell : 1));
}

/** The contract's ports, with any fixed sizes a manifest or the file declares (exported without dynamic axes). */
function expectedPorts(
  ports: readonly PortContract[],
  declarations: readonly (readonly PortContract[] | Readonly<Record<string, readonly Dim[]>>)[],
): PortContract[] {
  return ports.map((p) => {
    let shape = [...p.shape];
    for (const d of declarations) {
      const declared = Array.isArray(d) ? (d as readonly PortContract[]).find((x) => x.name === p.name)?.shape : (d as Record<string, readonly Dim[]>)[p.name];
      if (declared && declared.length === shape.length) shape = shape.map((x, i) => (typeof declared[i] === 'number' ? declared[i] : x));
    }
    return { name: p.name, shape };
  });
}

/** Refuses a file whose graph inputs/outputs do not match the stage contract. */
export function checkSessionContract(stage: StageName, session: OrtSession, label: string): void {
  const c = STAGE_CONTRACT[stage];
  const sides = [['inputs', c.inputs, session.inputNames], ['outputs', c.outputs, session.outputNames]] as const;
  for (const [side, ports, names] of sides) {
    const diff = nameDiff(ports.map((p) => p.name), names);
    if (diff) {
      throw new Error(`${label}: the ONNX graph's ${side} [${names.join(', ')}] do not match the ${stage} contract ` +
        `[${ports.map((p) => p.name).join(', ')}]: ${diff}`);
    }
    for (const p of ports) {
      const declared = session.shapes[p.name];
      if (!declared) continue;
      const bad = shapeConflict(p.shape, declared);
      if (bad) throw new Error(`${label}: the ONNX graph's ${side.slice(0, -1)} "${p.name}" is ${showShape(declared)}, the ${stage} contract says ${showShape(p.shape)}: ${bad}`);
    }
  }
}
