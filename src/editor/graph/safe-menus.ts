/**
 * litegraph's context menus write their title and entries into the page as HTML. Titles carry text
 * from the opened file (a placeholder node's type, slot names and types), and the node menu of a
 * placeholder (an uninstalled node type, a plain LGraphNode) offers "Properties" and "Properties
 * Panel", which write property names and values as HTML. So, for every menu: the title is set as
 * text, and those two entries are left out for every node, ours or not. (Our own nodes' menus never
 * had them: see def-to-litegraph.ts.) The built site's CSP stays the second line of defence.
 */
import { LGraphCanvas, LiteGraph, type IContextMenuValue, type LGraphNode } from '@comfyorg/litegraph';

const HIDDEN = new Set(['Properties', 'Properties Panel']);

/** `text` with the characters HTML gives meaning to replaced by entities, so innerHTML shows it as text. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

let installed = false;

export function installSafeMenus(): void {
  if (installed) return;
  installed = true;
  const Base = LiteGraph.ContextMenu;
  class TextTitleMenu extends Base {
    constructor(values: ConstructorParameters<typeof Base>[0], options: ConstructorParameters<typeof Base>[1], ...rest: unknown[]) {
      const title = options?.title;
      super(values, title === undefined ? options : { ...options, title: htmlText(String(title)) }, ...(rest as []));
    }
  }
  LiteGraph.ContextMenu = TextTitleMenu as typeof Base;

  const getNodeMenuOptions = LGraphCanvas.prototype.getNodeMenuOptions;
  LGraphCanvas.prototype.getNodeMenuOptions = function (this: LGraphCanvas, node: LGraphNode) {
    const options = getNodeMenuOptions.call(this, node) as (IContextMenuValue | null)[];
    return options.filter((o) => !(o && typeof o === 'object' && HIDDEN.has(String(o.content)))) as never;
  };
}
