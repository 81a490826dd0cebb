#!/usr/bin/python3
"""The whole DISCO pipeline in PyTorch (training/disco: model.py + ops.py) on a request from another
runtime, so that runtime's end-to-end result can be checked against this clean-room definition.

  /usr/bin/python3 training/reference_pipeline.py <checkpoint> <folder>

<folder>/request.json names raw little-endian float32 files in the same folder:
  {"gray": {"file", "shape": [1,1,H,W]}  L in 0..100 at the working size,
   "referenceAb": {"file", "shape": [1,2,H,W]}  optional, ab/110 (user-anchor mode's supplied colours),
   "cases": [{"name", "cells": [token index per anchor, repeated for a doubled anchor],
              "labels": [bin per anchor]}]}
and gets <folder>/response.json:
  {"grid": [h, w], "autoLabels": top-1 bin of the colour modeler per token,
   "referenceLabels": nearest bin of the pooled reference ab per token (with referenceAb),
   "cases": {name: {"file", "shape": [1,2,H,W]}}}  the refiner's ab/110 for each case's anchors.
Anchor positions and colours come from the request, so a runtime's own k-means and diverse picks
(checked against the official vectors elsewhere) are taken as given; everything else is recomputed.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    import numpy as np
    import torch
    from disco import ops
    from disco.checkpoint import load_checkpoint
    from disco.pipeline import decode, encode

    ckpt, folder = argv
    with open(os.path.join(folder, "request.json")) as f:
        req = json.load(f)

    def read(entry):
        data = np.fromfile(os.path.join(folder, entry["file"]), dtype="<f4")
        return torch.from_numpy(data.reshape(entry["shape"]).copy())

    def write(name, t):
        file = f"{name}.ab.f32"
        np.ascontiguousarray(t.numpy(), dtype="<f4").tofile(os.path.join(folder, file))
        return {"file": file, "shape": list(t.shape)}

    model = load_checkpoint(ckpt)
    torch.set_num_threads(os.cpu_count() or 1)
    res = {"cases": {}}
    with torch.no_grad():
        gray_n = (read(req["gray"]) - 50) / 50
        enc = encode(model, gray_n)
        _, _, h, w = enc["tokens"].shape
        res["grid"] = [h, w]
        res["autoLabels"] = enc["logits"].argmax(1).reshape(-1).tolist()
        if "referenceAb" in req:
            p_ab, _ = ops.sp_pool(read(req["referenceAb"]), enc["assoc"])
            res["referenceLabels"] = ops.ab_to_bin(p_ab * 110).reshape(-1).tolist()
        for case in req["cases"]:
            mask = torch.zeros(h * w)
            labels = torch.zeros(h * w, dtype=torch.long)
            for cell, label in zip(case["cells"], case["labels"]):
                mask[cell] += 1  # a doubled anchor counts twice (docs/disco-method.md §9)
                labels[cell] = label
            ab = decode(model, gray_n, enc, mask.reshape(1, 1, h, w), labels.reshape(1, h, w))
            res["cases"][case["name"]] = write(case["name"], ab)
    with open(os.path.join(folder, "response.json"), "w") as f:
        json.dump(res, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
