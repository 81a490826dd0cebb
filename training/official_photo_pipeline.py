#!/usr/bin/python3
"""DISCO on photo files the way the official code does it, around the clean-room PyTorch model
(training/disco), so a runtime's result from the same photo file can be checked against it:

  /usr/bin/python3 training/official_photo_pipeline.py <checkpoint> <folder>

Per photo (docs/disco-method.md §2, §9, §10), with OpenCV (Debian python3-opencv) for every image step:
  cv2.imread -> RGB -> uint8 / 255 as float32 -> cv2.cvtColor(RGB2LAB) at the photo's size;
  "demo": the float Lab resized to size x size (cv2.resize, INTER_LINEAR); "full": edge-padded
  bottom/right to multiples of 16 (the script's --no_resize); "script" (the inference script's
  default): the uint8 RGB resized to size x size (cv2.resize, INTER_LINEAR) before the /255 and Lab,
  then as "full" on that picture (no padding at a multiple of 16), result at size x size;
  gray = (L - 50) / 50 -> SpixelNet, backbone, SP-Pool, colour modeler;
  anchors: numpy seed 1 right before k-means (the web demo's rule), choice(n, k, replace=False)
  initial centres, Lloyd's loop (at most 20 steps, stop when shift^2 < 1e-4), one anchor per cluster
  on its largest superpixel;
  colours: "auto" the modeler's top bin; "reference" the nearest bin of the photo's own ab pooled
  over each superpixel (the official user-anchor mode with the photo as the supplied colours);
  generator, SP-Diffusion, refiner -> ab/110; demo: ab resized back to the photo's size
  (INTER_LINEAR); full: cropped; ab x 110 joined with the photo's own L -> cv2.cvtColor(LAB2RGB)
  -> (rgb * 255).astype(np.uint8).

<folder>/request.json: {"k": 8, "photos": [{"name", "file", "path": "demo"|"full"|"script", "size": 256,
"modes": ["auto", "reference"]}]}. Writes <folder>/response.json: {name: {mode: {"cells": [token
index per anchor, ascending, repeated for a doubled anchor], "bins": [bin per anchor], "rgb":
file of uint8 H x W x 3}}}, the rgb files beside it.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def lab_of_photo(path, resize_to=None):
    """Float Lab of the photo file; resize_to = s first resizes its uint8 RGB to s x s (INTER_LINEAR)."""
    import cv2
    import numpy as np
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise SystemExit(f"{path}: OpenCV cannot read it")
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    if resize_to is not None:
        rgb = cv2.resize(rgb, (resize_to, resize_to), interpolation=cv2.INTER_LINEAR)
    return cv2.cvtColor(rgb.astype(np.float32) / np.float32(255), cv2.COLOR_RGB2LAB)


def official_kmeans(x, k, seed=1, iters=20, tol=1e-4):
    """x [n, C] float32 torch -> labels [n]; numpy's global seed set right before (the demo's rule)."""
    import numpy as np
    import torch
    np.random.seed(seed)
    n = x.shape[0]
    centres = x[torch.from_numpy(np.random.choice(n, k, replace=False))].clone()
    for _ in range(iters):
        labels = ((x[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
        previous = centres.clone()
        for c in range(k):
            members = x[labels == c]
            if len(members) == 0:
                raise SystemExit("k-means: an empty cluster (the official code draws with torch's RNG here)")
            centres[c] = members.mean(0)
        shift = torch.sqrt(((centres - previous) ** 2).sum(1)).sum()
        if shift ** 2 < tol:
            break
    return labels


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    import cv2
    import numpy as np
    import torch
    from disco import ops
    from disco.checkpoint import load_checkpoint
    from disco.pipeline import decode, encode

    ckpt, folder = argv
    with open(os.path.join(folder, "request.json")) as f:
        req = json.load(f)
    model = load_checkpoint(ckpt)
    torch.set_num_threads(os.cpu_count() or 1)
    k = req.get("k", 8)
    res = {}
    with torch.no_grad():
        for photo in req["photos"]:
            lab = lab_of_photo(photo["file"], photo["size"] if photo["path"] == "script" else None)
            H, W = lab.shape[:2]
            if photo["path"] == "demo":
                s = photo["size"]
                work = cv2.resize(lab, (s, s), interpolation=cv2.INTER_LINEAR)
            else:
                work = np.pad(lab, ((0, -H % 16), (0, -W % 16), (0, 0)), mode="edge")
            t = torch.from_numpy(np.ascontiguousarray(work.transpose(2, 0, 1)))[None]
            gray_n = (t[:, :1] - 50) / 50
            enc = encode(model, gray_n)
            _, _, h, w = enc["tokens"].shape
            fc = enc["fc"][0].reshape(64, -1).t().contiguous()
            labels = official_kmeans(fc, k)
            sizes = ops.sp_sizes(enc["assoc"]).reshape(-1)
            mask = torch.zeros(h * w)
            for c in range(k):
                mask[((labels == c).float() + 0.01 * sizes).argmax()] += 1
            cells = [i for i in range(h * w) for _ in range(int(mask[i]))]
            res[photo["name"]] = {}
            for mode in photo["modes"]:
                if mode == "auto":
                    bins = enc["logits"].argmax(1).reshape(-1)
                else:
                    p_ab, _ = ops.sp_pool(t[:, 1:] / 110, enc["assoc"])
                    bins = ops.ab_to_bin(p_ab * 110).reshape(-1)
                ab_n = decode(model, gray_n, enc, mask.reshape(1, 1, h, w), bins.reshape(1, h, w))
                ab = ab_n[0].numpy().transpose(1, 2, 0)
                ab = cv2.resize(ab, (W, H), interpolation=cv2.INTER_LINEAR) if photo["path"] == "demo" else ab[:H, :W]
                out = np.concatenate([lab[..., :1], ab * np.float32(110)], 2).astype(np.float32)
                rgb = (cv2.cvtColor(out, cv2.COLOR_LAB2RGB) * 255).astype(np.uint8)
                file = f"{photo['name']}.{mode}.rgb"
                rgb.tofile(os.path.join(folder, file))
                res[photo["name"]][mode] = {"cells": cells, "bins": [int(bins[c]) for c in cells], "rgb": file,
                                            "shape": [H, W, 3]}
    with open(os.path.join(folder, "response.json"), "w") as f:
        json.dump(res, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
