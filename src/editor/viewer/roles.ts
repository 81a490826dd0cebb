/**
 * Which node plays which part for the viewer, read from the exec graph: the User Anchors node the
 * edits write to, the AFFINITY node whose superpixels the overlays draw, the automatic anchors, the
 * coloured anchors, the colour distribution for suggestions, the photo and the result.
 */
import { isLinkRef, type ExecGraph } from '../../runtime/workflow/exec-format.ts';

export interface ViewerRoles {
  /** disco/user-anchors: its `anchors` param is what the viewer edits. */
  userAnchors?: string;
  /** The node whose AFFINITY output the anchors' superpixels come from. */
  affinity?: string;
  /** The automatic anchors (Anchor Locator), when the workflow has them. */
  autoAnchors?: string;
  /** Anchor Colors: the anchors with the colours the run used, and the `variant` of diverse runs. */
  anchorColors?: string;
  /** The node whose COLOR_DIST gives the top-10 suggestions (Anchor Colors' `dist` input). */
  colorDist?: string;
  /** Load Image: the "before" of the split view, and where a dropped photo goes. */
  photo?: string;
  /** The result: an output node (Save Image) or else Recombine. */
  result?: string;
}

const byType = (g: ExecGraph, type: string) => Object.keys(g).filter((id) => g[id].type === type);
const source = (g: ExecGraph, id: string | undefined, input: string): string | undefined => {
  const v = id ? g[id]?.inputs[input] : undefined;
  return isLinkRef(v) ? v[0] : undefined;
};

/** Consumers of an association map, in the order their `affinity` input is trusted. */
const AFFINITY_READERS = ['disco/anchor-locator', 'disco/propagate-anchors', 'disco/sp-diffuse', 'disco/sp-pool', 'disco/lab-tokens'];

export function findRoles(g: ExecGraph): ViewerRoles {
  const roles: ViewerRoles = {};
  roles.userAnchors = byType(g, 'disco/user-anchors')[0];
  roles.autoAnchors = byType(g, 'disco/anchor-locator')[0];
  roles.anchorColors = byType(g, 'disco/anchor-colors')[0];
  roles.colorDist = source(g, roles.anchorColors, 'dist');
  for (const type of AFFINITY_READERS) {
    roles.affinity = byType(g, type).map((id) => source(g, id, 'affinity')).find((s) => s !== undefined);
    if (roles.affinity) break;
  }
  roles.photo = byType(g, 'disco/load-image')[0];
  roles.result = byType(g, 'disco/save-image')[0] ?? byType(g, 'disco/preview-image')[0] ?? byType(g, 'disco/recombine')[0];
  for (const k of Object.keys(roles) as (keyof ViewerRoles)[]) if (roles[k] === undefined) delete roles[k];
  return roles;
}
