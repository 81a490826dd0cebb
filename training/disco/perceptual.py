"""Perceptual loss for the refiner: distances between a frozen MobileNetV2's features of two colourings.

The issue's recipe asks for a perceptual loss where a pretrained backbone is available; nsfwjs's
MobileNetV2 (the disco-lite backbone) stands in for the VGG19 of the literature. Only early blocks are
used (texture and colour layout, not class semantics), on half-size images: 4x cheaper, and less
sensitive to pixel noise than to where colours go.
"""
import torch
import torch.nn.functional as F

from . import ops

TAPS = (2, 5)  # MobileNetV2 block_2 (stride 4, 24 ch) and block_5 (stride 8, 32 ch)


def perceptual_loss(body, pred_ab, true_ab, gray, taps=TAPS):
    """Mean L1 between `body`'s features (blocks in `taps`) of the predicted and the true colouring.

    body: a MobileNetV2 (disco.mobilenet) taking RGB in [0, 1]; pred_ab, true_ab: [N,2,H,W] as ab/110;
    gray: [N,1,H,W] as (L-50)/50. Gradients reach pred_ab only; body's weights are left to the caller
    (frozen in training)."""
    L = gray * 50 + 50
    pred = body(F.avg_pool2d(ops.lab_to_rgb(L, pred_ab * 110), 2), set(taps))
    with torch.no_grad():
        true = body(F.avg_pool2d(ops.lab_to_rgb(L, true_ab * 110), 2), set(taps))
    return sum((pred[t] - true[t]).abs().mean() for t in taps) / len(taps)
