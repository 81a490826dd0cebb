"""The whole DISCO pipeline in PyTorch (learned stages + ops.py), used for training and evaluation."""
import math

import numpy as np
import torch

from . import ops
from .model import position_encoding


def run_pipeline(model, gray_n, anchors="auto", gt_ab_n=None, k=8, seed=1):
    """Colourise gray_n [N,1,H,W] ((L-50)/50). Returns ab_n [N,2,H,W].

    anchors: "auto"    k-means on the modeler's colour features, colours = argmax of its logits;
             "oracle"  the same anchor positions, colours from the ground truth (pooled gt_ab_n);
             "gt"      positions from k-means on the ground-truth pooled colours, ground-truth colours
                       (how anchors are made during training)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        enc = encode(model, gray_n)
        assoc, fc, logits = enc["assoc"], enc["fc"], enc["logits"]
        sizes = ops.sp_sizes(assoc)
        if anchors in ("oracle", "gt"):
            if gt_ab_n is None:
                raise ValueError(f"anchors={anchors!r} needs gt_ab_n")
            p_ab, _ = ops.sp_pool(gt_ab_n, assoc)
            gt_labels = ops.ab_to_bin(p_ab * 110)
        if anchors == "gt":
            mask = ops.locate_anchors(p_ab, sizes, k, g)
        else:
            mask = ops.locate_anchors(fc, sizes, k, g)
        labels = gt_labels if anchors in ("oracle", "gt") else logits.argmax(1)
        return decode(model, gray_n, enc, mask, labels)


def encode(model, gray_n):
    """The anchor-independent half: superpixels, tokens, position encoding and the colour modeler.
    Returns {assoc, tokens, pos, fc, logits}."""
    assoc = model.spixel(gray_n)
    tokens, _ = ops.sp_pool(model.backbone(gray_n), assoc)
    n, _, h, w = tokens.shape
    pos = position_encoding(h, w).expand(n, -1, -1, -1)
    fc, logits = model.color_modeler(tokens, pos)
    return {"assoc": assoc, "tokens": tokens, "pos": pos, "fc": fc, "logits": logits}


def decode(model, gray_n, enc, mask, labels):
    """The anchor-dependent half: generator on the anchors (mask [N,1,h,w], bins [N,h,w]), SP-diffusion
    and refiner. Returns ab_n [N,2,H,W]."""
    gen, _ = model.color_generator(enc["tokens"], enc["pos"], mask, ops.onehot_bins(labels, mask))
    return model.refiner(gray_n, ops.sp_diffuse(gen, enc["assoc"]))


def to_uint8_rgb(L, ab):
    """L [N,1,H,W] 0..100, ab [N,2,H,W] -> uint8 numpy [N,H,W,3], truncating like the official script."""
    rgb = ops.lab_to_rgb(L, ab).clamp(0, 1) * 255
    return rgb.permute(0, 2, 3, 1).numpy().astype(np.uint8)


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def colourfulness(rgb):
    """Hasler and Suesstrunk 2003 on 0-255 RGB."""
    r, g, b = (rgb[..., i].astype(np.float64) for i in range(3))
    rg, yb = r - g, (r + g) / 2 - b
    return float(np.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2))
