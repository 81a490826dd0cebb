"""Photo loading and random crops for training; fixed 256x256 images for evaluation."""
import os

import numpy as np
import torch
from PIL import Image

from . import ops


def list_images(folder):
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".jpg", ".jpeg", ".png")))
    if not files:
        raise FileNotFoundError(f"no images in {folder}: run training/data/build_dataset.py first")
    return [os.path.join(folder, f) for f in files]


def load_rgb(path):
    return np.asarray(Image.open(path).convert("RGB"))


class CropSampler:
    """Random square crops as Lab: a side of min_side..1 times the photo's short side, resized to `size`,
    flipped at random."""

    def __init__(self, images, size, generator, min_side=0.5):
        self.images = images
        self.size = size
        self.g = generator
        self.min_side = min_side

    def _rand(self):
        return torch.rand(1, generator=self.g).item()

    def sample(self, batch):
        crops = []
        for _ in range(batch):
            img = self.images[int(self._rand() * len(self.images))]
            h, w = img.shape[:2]
            side = int(min(h, w) * (self.min_side + (1 - self.min_side) * self._rand()))
            y, x = int(self._rand() * (h - side + 1)), int(self._rand() * (w - side + 1))
            crop = Image.fromarray(img[y:y + side, x:x + side]).resize((self.size, self.size), Image.BILINEAR)
            a = np.asarray(crop)
            if self._rand() < 0.5:
                a = a[:, ::-1]
            crops.append(a)
        rgb = torch.from_numpy(np.stack(crops).astype(np.float32) / 255).permute(0, 3, 1, 2).contiguous()
        L, ab = ops.rgb_to_lab(rgb)
        return (L - 50) / 50, ab / 110


def eval_image(path, size=256):
    """Like the official script: resize RGB to size x size (aspect not kept), then Lab.
    Returns (rgb uint8 [1,H,W,3], L [1,1,H,W], ab [1,2,H,W])."""
    img = Image.open(path).convert("RGB").resize((size, size), Image.BILINEAR)
    a = np.asarray(img)
    rgb = torch.from_numpy(a.astype(np.float32) / 255).permute(2, 0, 1)[None]
    L, ab = ops.rgb_to_lab(rgb)
    return a[None], L, ab


def class_prior(images, bins=313, stride=4):
    """Empirical probability of each ab bin over (subsampled) training pixels."""
    counts = torch.zeros(bins)
    for img in images:
        rgb = torch.from_numpy(img[::stride, ::stride].astype(np.float32) / 255).permute(2, 0, 1)[None]
        _, ab = ops.rgb_to_lab(rgb)
        counts += torch.bincount(ops.ab_to_bin(ab).reshape(-1), minlength=bins).float()
    return counts / counts.sum()
