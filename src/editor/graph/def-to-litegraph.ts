/**
 * One generic litegraph node class per NodeDef. Ports become typed slots (ValueType names, coloured
 * by ValueType.color); parameters become widgets; the parameter values live by name in
 * `properties.params` and are mirrored positionally in `widgets_values` (the workflow file format).
 * Node logic never sees litegraph: running happens in the worker on the exec graph.
 */
import { LGraphCanvas, LGraphNode, LiteGraph, type IContextMenuValue } from '@comfyorg/litegraph';
import { checkParam, type NodeDef, type ParamSpec, type Params } from '../../runtime/engine/node-def.ts';
import { NODE_MIN_WIDTH, showsThumbnail } from '../../runtime/workflow/layout.ts';
import { drawNodeStatus, drawPinned, drawThumbnail, drawTitle, pinnedMessage, THUMB_H } from './node-draw.ts';
import type { StatusBoard } from './node-status.ts';
import { installSafeMenus } from './safe-menus.ts';

/** What generated nodes need from the app; all UI side effects go through here. */
export interface NodeUiHooks {
  readonly status: StatusBoard;
  /** A parameter was edited (widget, picker, JSON dialog). */
  paramChanged(node: LGraphNode, name: string): void;
  /** "Run to this node" from the context menu. */
  runTo(node: LGraphNode): void;
  /** Shows the node's image in the large viewer (thumbnail click, "View" in the menu). */
  view(node: LGraphNode): void;
  /** Opens a file picker and stores the photo for this node's image parameter. */
  pickImage(node: LGraphNode, param: string): void;
  /** Edits a JSON parameter (no inline widget for structured data). */
  editJson(node: LGraphNode, param: string): void;
}

/** Our node modes as litegraph modes (ComfyUI uses the same numbers: 2 never, 4 bypass). */
export const MODE = { always: 0, mute: 2, bypass: 4 } as const;

export interface DiscoNode extends LGraphNode {
  readonly def: NodeDef;
  /** Current parameter values by name. */
  params(): Params;
  setParam(name: string, value: unknown): void;
  /**
   * What is wrong with parameters, shown on the node: invalid values from an opened file (replaced by
   * defaults) or a refused photo. Name -> message; cleared when the parameter is set.
   */
  readonly paramProblems: Map<string, string>;
}

export function isDiscoNode(n: LGraphNode | null | undefined): n is DiscoNode {
  return !!n && 'def' in n && typeof (n as DiscoNode).params === 'function';
}

export function registerNodeDefs(defs: readonly NodeDef[], hooks: NodeUiHooks): void {
  installSafeMenus(); // menus of every node, placeholders included, show file text as text
  for (const def of defs) {
    for (const port of [...Object.values(def.inputs), ...Object.values(def.outputs)]) {
      LGraphCanvas.link_type_colors[port.type.name] = port.type.color;
    }
    LiteGraph.registerNodeType(def.id, makeNodeClass(def, hooks));
  }
}

function makeNodeClass(def: NodeDef, hooks: NodeUiHooks) {
  const paramNames = Object.keys(def.params);
  const thumb = showsThumbnail(def);

  class Node extends LGraphNode implements DiscoNode {
    static override title = def.displayName;
    static override category = def.category;
    static description = def.description;
    readonly def = def;
    readonly paramProblems = new Map<string, string>();

    constructor(title?: string) {
      super(title ?? def.displayName, def.id);
      this.serialize_widgets = true;
      this.properties = { ...this.properties, params: defaultsOf(def) };
      for (const [name, port] of Object.entries(def.inputs)) {
        this.addInput(name, port.type.name, { color_on: port.type.color, color_off: port.type.color });
      }
      for (const [name, port] of Object.entries(def.outputs)) {
        this.addOutput(name, port.type.name, { color_on: port.type.color, color_off: port.type.color });
      }
      // Param widgets first and in def order, so litegraph's positional widgets_values lines up.
      for (const [name, spec] of Object.entries(def.params)) addParamWidget(this, name, spec);
      for (const [name, spec] of Object.entries(def.params)) {
        if (spec.kind === 'json') addButton(this, `edit ${name}…`, () => hooks.editJson(this, name));
        if (spec.kind === 'string' && spec.file === 'image') addButton(this, 'choose photo…', () => hooks.pickImage(this, name));
      }
      this.size = this.computeSize();
      // A click on the thumbnail shows the image in the viewer; litegraph still selects the node.
      // (LGraphNode sets onMouseDown per instance, for title buttons, so wrap it here.)
      const base = this.onMouseDown;
      this.onMouseDown = (e, pos, canvas) => {
        if (thumb && !this.flags.collapsed && pos[1] >= this.size[1] - THUMB_H - 6) hooks.view(this);
        return base ? base.call(this, e, pos, canvas) : false;
      };
    }

    params(): Params {
      return this.properties.params as Params;
    }

    setParam(name: string, value: unknown): void {
      this.paramProblems.delete(name);
      (this.properties.params as Params)[name] = value;
      const w = this.widgets?.find((x) => x.name === name);
      if (w) w.value = value as never;
      hooks.paramChanged(this, name);
      this.setDirtyCanvas(true, false); // the node's widgets; links and the grid are as they were
    }

    override computeSize(out?: [number, number]): [number, number] {
      const size = super.computeSize(out) as [number, number];
      size[0] = Math.max(size[0], NODE_MIN_WIDTH);
      if (thumb) size[1] += THUMB_H + 8;
      return size;
    }

    override onWidgetChanged(name: string, value: unknown): void {
      if (!(name in def.params)) return;
      this.paramProblems.delete(name);
      (this.properties.params as Params)[name] = value;
      hooks.paramChanged(this, name);
    }

    /** Writes the file format: params by name, mirrored positionally in def order. */
    override onSerialize(o: { properties?: Record<string, unknown>; widgets_values?: unknown[] }): void {
      const params = this.params();
      o.properties = { ...(o.properties ?? {}), params: structuredClone(params) };
      o.widgets_values = paramNames.map((n) => params[n]);
    }

    /**
     * Reads params by name first, then positionally (plain ComfyUI files), then defaults. Every value
     * from the file is checked: an invalid one never reaches a widget (litegraph's number prompt evals
     * the widget's value), the default takes its place and the node shows what was wrong.
     */
    override onConfigure(info: { properties?: Record<string, unknown>; widgets_values?: unknown[] }): void {
      const byName = (info.properties?.params ?? {}) as Params;
      const values: Params = defaultsOf(def);
      this.paramProblems.clear();
      paramNames.forEach((n, i) => {
        let v: unknown;
        if (byName[n] !== undefined) v = byName[n];
        else if (info.widgets_values?.[i] !== undefined && info.widgets_values[i] !== null) v = info.widgets_values[i];
        if (v === undefined) return;
        const err = checkParam(def.params[n], v);
        if (err) this.paramProblems.set(n, `${n} ${err.length > 160 ? `${err.slice(0, 160)}…` : err}; using the default ${JSON.stringify(def.params[n].default)}`);
        else values[n] = v;
      });
      this.properties.params = values;
      for (const w of this.widgets ?? []) if (w.name in values) w.value = values[w.name] as never;
      // Files written without the editor (buildWorkflow) size nodes without room for the thumbnail.
      const min = this.computeSize();
      this.size = [Math.max(this.size[0], min[0]), Math.max(this.size[1], min[1])];
    }

    /** litegraph 0.17.2's changeMode refuses bypass (4: not one of its modes); the engine runs it (inputs passed through). */
    override changeMode(mode: number): boolean {
      if (mode !== MODE.bypass) return super.changeMode(mode);
      this.mode = mode;
      return true;
    }

    override onDrawBackground(ctx: CanvasRenderingContext2D): void {
      if (thumb && !this.flags.collapsed) drawThumbnail(ctx, this, hooks.status.get(this.id)?.thumb);
    }

    /** The title ends before the run-state badge (litegraph's would run under it). */
    override drawTitleText(ctx: CanvasRenderingContext2D, options: Parameters<LGraphNode['drawTitleText']>[1]): void {
      if (this.collapsed || options.low_quality) return super.drawTitleText(ctx, options);
      const color = this.selected ? LiteGraph.NODE_SELECTED_TITLE_COLOR : options.default_title_color;
      drawTitle(ctx, this, `${this.getTitle()}${this.pinned ? '📌' : ''}`, hooks.status.get(this.id), color);
    }

    override onDrawForeground(ctx: CanvasRenderingContext2D): void {
      drawNodeStatus(ctx, this, hooks.status.get(this.id));
    }

    /** Its error (or warning, or parameter problems) under it; graph-canvas.ts calls this after drawing every node. */
    drawOverNodes(ctx: CanvasRenderingContext2D): void {
      const message = pinnedMessage(hooks.status.get(this.id), [...this.paramProblems.values()]);
      if (message) drawPinned(ctx, this, message);
    }

    /**
     * litegraph's default node menu without "Properties" and "Properties Panel": both write property
     * names and values (which come from the opened file) into the page as HTML.
     */
    override getMenuOptions(canvas: LGraphCanvas): IContextMenuValue[] {
      const C = LGraphCanvas;
      const options: (IContextMenuValue | null)[] = [
        { content: 'Title', callback: C.onShowPropertyEditor as never },
        { content: 'Mode', has_submenu: true, callback: C.onMenuNodeMode as never },
        ...(this.resizable !== false ? [{ content: 'Resize', callback: C.onMenuResizeNode as never }] : []),
        ...(this.collapsible ? [{ content: this.collapsed ? 'Expand' : 'Collapse', callback: C.onMenuNodeCollapse as never }] : []),
        { content: this.pinned ? 'Unpin' : 'Pin', callback: () => { for (const n of Object.values(canvas.selected_nodes)) n.pin(); canvas.setDirty(true, true); } },
        { content: 'Colors', has_submenu: true, callback: C.onMenuNodeColors as never },
        { content: 'Shapes', has_submenu: true, callback: C.onMenuNodeShapes as never },
      ];
      return options as IContextMenuValue[];
    }

    /** Our entries; litegraph puts them above its own (it concatenates, so `options` is left alone). */
    override getExtraMenuOptions(_c: LGraphCanvas, _options: (IContextMenuValue | null)[]): (IContextMenuValue | null)[] {
      const toggle = (mode: number) => () => {
        this.changeMode(this.mode === mode ? MODE.always : mode);
        hooks.paramChanged(this, '');
      };
      return [
        { content: 'Run to this node', callback: () => hooks.runTo(this) },
        ...(thumb ? [{ content: 'View', callback: () => hooks.view(this) }] : []),
        { content: this.mode === MODE.bypass ? 'Un-bypass (Ctrl+B)' : 'Bypass (Ctrl+B)', callback: toggle(MODE.bypass) },
        { content: this.mode === MODE.mute ? 'Unmute (Ctrl+M)' : 'Mute (Ctrl+M)', callback: toggle(MODE.mute) },
      ];
    }
  }
  return Node;
}

export function defaultsOf(def: NodeDef): Params {
  const p: Params = {};
  for (const [name, spec] of Object.entries(def.params)) p[name] = structuredClone(spec.default);
  return p;
}

/**
 * Edits reach the params through the node's onWidgetChanged; this callback is there because litegraph
 * warns for every widget made without one (20 warnings per graph load).
 */
const viaOnWidgetChanged = () => undefined;

function addParamWidget(node: LGraphNode, name: string, spec: ParamSpec): void {
  const value = (node.properties.params as Params)[name];
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const step = spec.step ?? (spec.kind === 'int' ? 1 : 0.01);
      const precision = spec.kind === 'int' ? 0 : Math.max(0, Math.ceil(-Math.log10(step)));
      node.addWidget('number', name, value as number, viaOnWidgetChanged, { min: spec.min, max: spec.max, step2: step, precision, round: spec.kind === 'int' ? 1 : step } as never);
      break;
    }
    case 'bool':
      node.addWidget('toggle', name, value as boolean, viaOnWidgetChanged, {});
      break;
    case 'choice':
      node.addWidget('combo', name, value as string, viaOnWidgetChanged, { values: [...spec.options] });
      break;
    case 'string':
      node.addWidget('text', name, value as string, viaOnWidgetChanged, {});
      break;
    case 'color':
      node.addCustomWidget(colorWidget(node, name, value as string) as never);
      break;
    case 'json':
      break; // edited through a button (see the constructor); no inline widget for structured data
  }
  const w = node.widgets?.at(-1);
  if (w && w.name === name && spec.description) w.tooltip = spec.description;
}

function addButton(node: LGraphNode, label: string, onClick: () => void): void {
  const w = node.addWidget('button', label, '', onClick, {});
  w.serialize = false;
}

/** A swatch that opens the browser's colour picker. */
function colorWidget(node: LGraphNode, name: string, value: string) {
  return {
    type: 'custom', name, value, options: {}, y: 0,
    draw(ctx: CanvasRenderingContext2D, _n: LGraphNode, width: number, y: number, h: number) {
      const m = 15;
      ctx.fillStyle = LiteGraph.WIDGET_BGCOLOR;
      ctx.strokeStyle = LiteGraph.WIDGET_OUTLINE_COLOR;
      ctx.beginPath();
      ctx.roundRect(m, y, width - 2 * m, h, h / 2);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = LiteGraph.WIDGET_SECONDARY_TEXT_COLOR;
      ctx.textAlign = 'left';
      ctx.fillText(name, m + 10, y + h * 0.7);
      ctx.fillStyle = String(this.value);
      ctx.fillRect(width - m - 60, y + 3, 44, h - 6);
      ctx.fillStyle = LiteGraph.WIDGET_TEXT_COLOR;
      ctx.textAlign = 'right';
      ctx.fillText(String(this.value), width - m - 66, y + h * 0.7);
    },
    mouse(e: PointerEvent) {
      if (e.type !== 'pointerdown') return false;
      const input = document.createElement('input');
      input.type = 'color';
      input.value = String(this.value);
      input.addEventListener('input', () => (node as DiscoNode).setParam(name, input.value));
      input.click();
      return true;
    },
    computeSize(width?: number): [number, number] {
      return [width ?? 200, LiteGraph.NODE_WIDGET_HEIGHT];
    },
  };
}
