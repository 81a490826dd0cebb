"""Held-out evaluation of a DISCO model: RGB PSNR and colourfulness at 256 x 256 (docs/disco-method.md §15)."""
import os

import numpy as np

from .data import eval_image, list_images
from .pipeline import colourfulness, psnr, run_pipeline, to_uint8_rgb


def evaluate_folder(model, folder, k=8, limit=None):
    """Mean metrics over every image in `folder`:
    psnr_{auto,oracle,gt_anchors}: result vs ground truth, for automatic anchors (k-means on colour
    features, predicted colours), oracle colours at the automatic anchor sites, and anchors placed and
    coloured from the ground truth; psnr_gray: the gray image (ab = 0) vs ground truth;
    colourfulness of each result and of the ground truth (Hasler-Suesstrunk)."""
    model.eval()
    files = list_images(folder)[:limit]
    acc = {}

    def add(key, v):
        acc.setdefault(key, []).append(v)

    for path in files:
        rgb, L, ab = eval_image(path)
        gray_n, ab_n = (L - 50) / 50, ab / 110
        add("psnr_gray", psnr(to_uint8_rgb(L, ab * 0), rgb))
        add("colourfulness_gt", colourfulness(rgb[0]))
        for mode, key in (("auto", "auto"), ("oracle", "oracle"), ("gt", "gt_anchors")):
            out = run_pipeline(model, gray_n, anchors=mode, gt_ab_n=ab_n, k=k)
            res = to_uint8_rgb(L, out * 110)
            add(f"psnr_{key}", psnr(res, rgb))
            add(f"colourfulness_{key}", colourfulness(res[0]))
    q = {k2: round(float(np.mean(v)), 3) for k2, v in sorted(acc.items())}
    q.update({"images": len(files), "resolution": 256, "anchors": k,
              "evalSet": "held-out photos from opencv-doc examples/data, python3-skimage data, palapeli-data",
              "notes": "PSNR over RGB uint8 at 256x256 (aspect not kept, like the official script); "
                       "means over images; analytic Lab; PyTorch pipeline, not the TypeScript runtime"})
    return q
