/**
 * Writes the example workflows in workflows/ from code, so they always match the node definitions:
 *   npx tsx scripts/make-workflows.ts
 * disco-auto.json        automatic DISCO (k-means anchors, top-1 colours) with the default model set
 * disco-diverse.json     the same with anchor colour variant 1 (DISCO's T=1); run variants 0..N-1 for a gallery
 * disco-official-script.json  the official inference script's default path: the 8-bit photo resized to
 *                        256 x 256 (OpenCV uint8 INTER_LINEAR), networks at 256, result at 256 x 256
 * reference-guided.json  automatic DISCO whose anchors take their colours from a colour reference photo
 *                        (the reference through the same learned stages, Reference Colors before Anchor Colors)
 * user-guided.json       training-free: soft-SLIC superpixels + the user's anchors + Laplacian propagation, no models
 * compare-superpixels.json  the learned SpixelNet next to the training-free soft SLIC, boundaries drawn on the photo
 * A test (test/workflows.test.ts) checks the committed files equal what this script writes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allNodes } from '../src/nodes/index.ts';
import { NodeRegistry } from '../src/runtime/engine/registry.ts';
import { buildWorkflow, type WorkflowSpec } from '../src/runtime/workflow/build.ts';
import { serializeWorkflow } from '../src/runtime/workflow/load.ts';
import type { Lane } from '../src/runtime/workflow/layout.ts';
import type { DiscoModelRef, Workflow } from '../src/runtime/workflow/schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const registry = new NodeRegistry(allNodes);
export const DEFAULT_SET = 'disco-lite';
const EXAMPLE = '../examples/chelsea-gray.png';

/** The model files a workflow uses, with their sha256, from the set's manifest. */
function modelRefs(set: string): DiscoModelRef[] {
  const path = `${root}models/${set}/manifest.json`;
  if (!existsSync(path)) return [];
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  return Object.entries(manifest.stages as Record<string, { file: string; sha256: string }>).map(([stage, s]) => ({ set, stage, file: s.file, sha256: s.sha256 }));
}

/**
 * Load a photo, Lab at its original size and at the working size, L. As the official code does, L
 * comes straight from the photo's float Lab (8-bit RGB / 255, OpenCV's RGB2Lab); the learned stages
 * see only L, so a colour photo's a and b are never used.
 */
const photoNodes = [
  { id: 1, type: 'disco/load-image', params: { image: EXAMPLE } },
  { id: 3, type: 'disco/rgb-to-lab' },
  { id: 4, type: 'disco/resize-to-working', params: { size: 256, keepAspect: false } },
  { id: 5, type: 'disco/lab-to-gray' },
] as const;
const photoLinks = [
  [1, 'image', 3, 'image'], [3, 'lab', 4, 'lab'], [4, 'lab', 5, 'lab'],
] as const;

/**
 * The same with Gray from Photo first, for the training-free workflows: their soft SLIC and Lab
 * tokens read the whole Lab image, so a colour photo's a and b must be dropped before.
 */
const grayPhotoNodes = [...photoNodes.slice(0, 1), { id: 2, type: 'disco/gray-from-photo' }, ...photoNodes.slice(1)] as const;
const grayPhotoLinks = [[1, 'image', 2, 'image'], [2, 'image', 3, 'image'], ...photoLinks.slice(1)] as const;

/**
 * The official inference script's default path: the 8-bit RGB photo resized to 256 x 256 with OpenCV's
 * uint8 INTER_LINEAR first, then float Lab of that; the networks run at 256 with no further resize
 * and the result (its L and the ab) stays at 256 x 256.
 */
const scriptPhotoNodes = [
  photoNodes[0],
  { id: 2, type: 'disco/resize-image', params: { width: 256, height: 256 } },
  photoNodes[1],
  { id: 4, type: 'disco/resize-to-working', params: { size: 256, keepAspect: false, fullSize: true } },
  photoNodes[3],
] as const;
const scriptPhotoLinks = [[1, 'image', 2, 'image'], [2, 'image', 3, 'image'], ...photoLinks.slice(1)] as const;

/**
 * Each workflow reads in lanes, one per stage, left to right (drawn as titled groups): a reader
 * sees what each part does, and disco-auto fits the editor's graph pane at 1440x900 with node text >= 11 px.
 */
const photoLane = (nodes: readonly { id: number }[]): Lane => ({ title: '1 · Photo → lightness', nodes: nodes.map((n) => n.id) });

function discoAuto(variant: number, officialScript = false): WorkflowSpec {
  return {
    id: `00000000-0000-4000-8000-00000000000${officialScript ? 5 : variant === 0 ? 1 : 2}`,
    models: modelRefs(DEFAULT_SET),
    nodes: [
      ...(officialScript ? scriptPhotoNodes : photoNodes),
      { id: 6, type: 'disco/load-model-set', params: { set: DEFAULT_SET } },
      { id: 7, type: 'disco/spixelnet' },
      { id: 8, type: 'disco/feature-extractor' },
      { id: 9, type: 'disco/sp-pool' },
      { id: 10, type: 'disco/color-modeler' },
      { id: 11, type: 'disco/anchor-locator', params: { k: 8, seed: 1 } },
      { id: 12, type: 'disco/user-anchors', params: { anchors: [] }, title: 'User Anchors (edit in the viewer)' },
      { id: 13, type: 'disco/merge-anchors' },
      { id: 14, type: 'disco/anchor-colors', params: { variant, mode: 'model' } },
      { id: 15, type: 'disco/color-generator' },
      { id: 16, type: 'disco/sp-diffuse' },
      { id: 17, type: 'disco/refine' },
      { id: 18, type: 'disco/recombine' },
      { id: 19, type: 'disco/save-image', params: { filename_prefix: 'disco' } },
    ],
    links: [
      ...(officialScript ? scriptPhotoLinks : photoLinks),
      [5, 'gray', 7, 'gray'], [6, 'spixelnet', 7, 'model'],
      [5, 'gray', 8, 'gray'], [6, 'backbone', 8, 'model'],
      [8, 'features', 9, 'features'], [7, 'affinity', 9, 'affinity'],
      [9, 'tokens', 10, 'tokens'], [6, 'color_modeler', 10, 'model'],
      [10, 'features', 11, 'features'], [7, 'affinity', 11, 'affinity'],
      [9, 'tokens', 12, 'grid'],
      [11, 'anchors', 13, 'auto'], [12, 'anchors', 13, 'user'],
      [10, 'dist', 14, 'dist'], [13, 'anchors', 14, 'anchors'],
      [9, 'tokens', 15, 'tokens'], [14, 'anchors', 15, 'anchors'], [6, 'color_generator', 15, 'model'],
      [15, 'tokens', 16, 'tokens'], [7, 'affinity', 16, 'affinity'],
      [5, 'gray', 17, 'gray'], [16, 'features', 17, 'features'], [6, 'refiner', 17, 'model'],
      [3, 'lab', 18, 'photo'], [5, 'gray', 18, 'working'], [17, 'ab', 18, 'ab'],
      [18, 'image', 19, 'image'],
    ],
    lanes: [
      photoLane(officialScript ? scriptPhotoNodes : photoNodes),
      { title: '2 · Superpixel tokens', nodes: [6, 7, 8, 9] },
      { title: '3 · Colour anchors', nodes: [10, 11, 12, 13, 14] },
      { title: '4 · Colourise + refine', nodes: [15, 16, 17, 18, 19] },
    ],
  };
}

/**
 * disco-auto plus a colour reference photo: the reference goes through the same stages as the photo
 * (its own Lab, working size, L for Spixelnet and the backbone; its ab pooled per superpixel with its
 * own association map), and Reference Colors sits between Merge Anchors and Anchor Colors.
 */
function referenceGuided(): WorkflowSpec {
  const auto = discoAuto(0);
  const links = (auto.links ?? []).filter(([from, , to]) => !(from === 13 && to === 14));
  return {
    id: '00000000-0000-4000-8000-000000000006',
    models: auto.models,
    nodes: [
      ...auto.nodes,
      { id: 20, type: 'disco/load-reference', params: { image: '../examples/chelsea.png' } },
      { id: 21, type: 'disco/rgb-to-lab', title: 'RGB to Lab (reference)' },
      { id: 22, type: 'disco/resize-to-working', params: { size: 256, keepAspect: false }, title: 'Resize to Working Size (reference)' },
      { id: 23, type: 'disco/lab-to-gray', title: 'Lab to Gray (reference)' },
      { id: 24, type: 'disco/normalize-ab', title: 'Normalize ab (reference)' },
      { id: 25, type: 'disco/spixelnet', title: 'Spixelnet (reference)' },
      { id: 26, type: 'disco/feature-extractor', title: 'Feature Extractor (reference)' },
      { id: 27, type: 'disco/sp-pool', title: 'Superpixel Pool (reference)' },
      { id: 28, type: 'disco/color-modeler', title: 'Color Modeler (reference)' },
      { id: 29, type: 'disco/reference-colors' },
    ],
    links: [
      ...links,
      [20, 'image', 21, 'image'], [21, 'lab', 22, 'lab'], [22, 'lab', 23, 'lab'], [22, 'lab', 24, 'lab'],
      [23, 'gray', 25, 'gray'], [6, 'spixelnet', 25, 'model'],
      [23, 'gray', 26, 'gray'], [6, 'backbone', 26, 'model'],
      [26, 'features', 27, 'features'], [25, 'affinity', 27, 'affinity'], [24, 'ab_n', 27, 'ab'],
      [27, 'tokens', 28, 'tokens'], [6, 'color_modeler', 28, 'model'],
      [13, 'anchors', 29, 'anchors'], [10, 'features', 29, 'features'], [28, 'features', 29, 'reference'], [23, 'gray', 29, 'reference_gray'],
      [29, 'anchors', 14, 'anchors'],
    ],
    lanes: [
      photoLane(photoNodes),
      { title: '2 · Reference → lightness, ab', nodes: [20, 21, 22, 23, 24] },
      { title: '3 · Superpixel tokens', nodes: [6, 7, 8, 9] },
      { title: '4 · Reference tokens', nodes: [25, 26, 27, 28] },
      { title: '5 · Colour anchors', nodes: [10, 11, 12, 13, 29, 14] },
      { title: '6 · Colourise + refine', nodes: [15, 16, 17, 18, 19] },
    ],
  };
}

/** Anchors for the example cat, colours sampled from the original colour photo. */
export const EXAMPLE_ANCHORS = [
  { x: 0.5, y: 0.2, color: '#8d6039' },
  { x: 0.1, y: 0.55, color: '#91684e' },
  { x: 0.32, y: 0.36, color: '#98743b' },
  { x: 0.74, y: 0.4, color: '#79562e' },
  { x: 0.58, y: 0.8, color: '#b04a2a' },
  { x: 0.9, y: 0.3, color: '#7a665c' },
  { x: 0.3, y: 0.8, color: '#a37d66' },
  { x: 0.6, y: 0.65, color: '#c79567' },
];

const userGuided: WorkflowSpec = {
  id: '00000000-0000-4000-8000-000000000003',
  nodes: [
    ...grayPhotoNodes,
    { id: 6, type: 'disco/slic-affinity', params: { cell: 16, iterations: 5, compactness: 10 } },
    { id: 7, type: 'disco/lab-tokens' },
    { id: 8, type: 'disco/user-anchors', params: { anchors: EXAMPLE_ANCHORS }, title: 'User Anchors (edit in the viewer)' },
    { id: 9, type: 'disco/propagate-anchors', params: { sigma: 10, iterations: 200 } },
    { id: 10, type: 'disco/recombine' },
    { id: 11, type: 'disco/save-image', params: { filename_prefix: 'user-guided' } },
  ],
  links: [
    ...grayPhotoLinks,
    [4, 'lab', 6, 'lab'],
    [4, 'lab', 7, 'lab'], [6, 'affinity', 7, 'affinity'],
    [7, 'tokens', 8, 'grid'],
    [8, 'anchors', 9, 'anchors'], [7, 'tokens', 9, 'tokens'], [6, 'affinity', 9, 'affinity'],
    [3, 'lab', 10, 'photo'], [5, 'gray', 10, 'working'], [9, 'ab', 10, 'ab'],
    [10, 'image', 11, 'image'],
  ],
  lanes: [
    photoLane(grayPhotoNodes),
    { title: '2 · Superpixels', nodes: [6, 7] },
    { title: '3 · Your anchors', nodes: [8, 9] },
    { title: '4 · Result', nodes: [10, 11] },
  ],
};

const compareSuperpixels: WorkflowSpec = {
  id: '00000000-0000-4000-8000-000000000004',
  models: modelRefs(DEFAULT_SET).filter((m) => m.stage === 'spixelnet'),
  nodes: [
    ...grayPhotoNodes,
    { id: 6, type: 'disco/load-model-set', params: { set: DEFAULT_SET } },
    { id: 7, type: 'disco/spixelnet', title: 'SpixelNet (learned)' },
    { id: 8, type: 'disco/slic-affinity', title: 'Soft SLIC (training-free)' },
    { id: 9, type: 'disco/lab-to-rgb', title: 'Working-size photo' },
    { id: 10, type: 'disco/superpixel-overlay', title: 'SpixelNet boundaries' },
    { id: 11, type: 'disco/superpixel-overlay', title: 'Soft SLIC boundaries', params: { color: '#00e5ff' } },
    { id: 12, type: 'disco/preview-image', title: 'SpixelNet' },
    { id: 13, type: 'disco/preview-image', title: 'Soft SLIC' },
  ],
  links: [
    ...grayPhotoLinks,
    [5, 'gray', 7, 'gray'], [6, 'spixelnet', 7, 'model'],
    [4, 'lab', 8, 'lab'],
    [4, 'lab', 9, 'lab'],
    [9, 'image', 10, 'image'], [7, 'affinity', 10, 'affinity'],
    [9, 'image', 11, 'image'], [8, 'affinity', 11, 'affinity'],
    [10, 'image', 12, 'image'], [11, 'image', 13, 'image'],
  ],
  lanes: [
    photoLane(grayPhotoNodes),
    { title: '2 · Two superpixel methods', nodes: [6, 7, 8] },
    { title: '3 · Boundaries on the photo', nodes: [9, 10, 11] },
    { title: '4 · Side by side', nodes: [12, 13] },
  ],
};

export function exampleWorkflows(): Record<string, Workflow> {
  return {
    'disco-auto.json': buildWorkflow(discoAuto(0), registry),
    'disco-diverse.json': buildWorkflow(discoAuto(1), registry),
    'disco-official-script.json': buildWorkflow(discoAuto(0, true), registry),
    'reference-guided.json': buildWorkflow(referenceGuided(), registry),
    'user-guided.json': buildWorkflow(userGuided, registry),
    'compare-superpixels.json': buildWorkflow(compareSuperpixels, registry),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, wf] of Object.entries(exampleWorkflows())) {
    writeFileSync(`${root}workflows/${name}`, serializeWorkflow(wf));
    console.log(`wrote workflows/${name}`);
  }
}
