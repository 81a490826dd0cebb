/**
 * Which node plays which part for the viewer, read from the exec graph and the roles the node
 * definitions declare (NodeRole): the user-anchors node the edits write to, the AFFINITY whose
 * superpixels the overlays draw, the automatic anchors, the coloured anchors, the colour
 * distribution for suggestions, the photo and the result; in workflows with a reference photo, the
 * node that loads it and the node that makes its superpixels.
 */
import type { NodeDef, NodeRole } from '../../runtime/engine/node-def.ts';
import { isLinkRef, type ExecGraph } from '../../runtime/workflow/exec-format.ts';

export interface ViewerRoles {
  /** The 'user-anchors' node: its `anchors` param is what the viewer edits. */
  userAnchors?: string;
  /** The node whose AFFINITY output the anchors' superpixels come from. */
  affinity?: string;
  /** The automatic anchors ('auto-anchors', Anchor Locator), when the workflow has them. */
  autoAnchors?: string;
  /** 'anchor-colors': the anchors with the colours the run used, and the `variant` of diverse runs. */
  anchorColors?: string;
  /** The node whose COLOR_DIST feeds Anchor Colors: the top-10 suggestions. */
  colorDist?: string;
  /** The 'photo' node (Load Image): the "before" of the split view. */
  photo?: string;
  /** The result: a 'result' node (Save Image), else an output node showing an image, else 'colorized'. */
  result?: string;
  /** The 'reference' node (Load Reference): the reference photo anchors take colours from. */
  reference?: string;
  /** The node whose AFFINITY output is the reference photo's superpixels (downstream of `reference`). */
  referenceAffinity?: string;
}

interface Lookup {
  get(id: string): NodeDef | undefined;
}

export function findRoles(g: ExecGraph, registry: Lookup): ViewerRoles {
  const ids = Object.keys(g);
  const def = (id: string) => registry.get(g[id].type);
  const withRole = (role: NodeRole) => ids.find((id) => def(id)?.role === role);
  /** Where the node's input of this value type comes from. */
  const source = (id: string | undefined, type: string): string | undefined => {
    const ports = id ? def(id)?.inputs ?? {} : {};
    const name = Object.keys(ports).find((p) => ports[p].type.name === type);
    const v = id && name ? g[id].inputs[name] : undefined;
    return isLinkRef(v) ? v[0] : undefined;
  };
  const roles: ViewerRoles = {};
  roles.userAnchors = withRole('user-anchors');
  roles.autoAnchors = withRole('auto-anchors');
  roles.anchorColors = withRole('anchor-colors');
  roles.colorDist = source(roles.anchorColors, 'COLOR_DIST');
  // The automatic anchors' superpixels, else those of any node reading an association map.
  roles.affinity = source(roles.autoAnchors, 'AFFINITY') ?? ids.map((id) => source(id, 'AFFINITY')).find((s) => s !== undefined);
  roles.photo = withRole('photo');
  const showsImage = (id: string) => !!def(id)?.isOutput && Object.values(def(id)!.inputs).some((p) => p.type.name === 'IMAGE');
  roles.result = withRole('result') ?? ids.find(showsImage) ?? withRole('colorized');
  roles.reference = withRole('reference');
  if (roles.reference) roles.referenceAffinity = downstream(g, roles.reference).find((id) => Object.values(def(id)?.outputs ?? {}).some((p) => p.type.name === 'AFFINITY'));
  for (const k of Object.keys(roles) as (keyof ViewerRoles)[]) if (roles[k] === undefined) delete roles[k];
  return roles;
}

/** The nodes that read (directly or not) from node `from`, nearest first. */
function downstream(g: ExecGraph, from: string): string[] {
  const out: string[] = [];
  const seen = new Set([from]);
  for (let i = -1; i < out.length; i++) {
    const at = i < 0 ? from : out[i];
    for (const id of Object.keys(g)) {
      if (seen.has(id) || !Object.values(g[id].inputs).some((v) => isLinkRef(v) && v[0] === at)) continue;
      seen.add(id);
      out.push(id);
    }
  }
  return out;
}
