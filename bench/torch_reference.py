#!/usr/bin/python3
"""The PyTorch reference for `npm run bench`: the same pipeline as workflows/disco-auto.json, with the
project's PyTorch networks (training/disco/model.py) and parameter-free stages (training/disco/ops.py),
on the CPU with one thread per core, timed stage by stage.

  /usr/bin/python3 bench/torch_reference.py '<TorchJob as JSON>'    (see bench/jobs.ts)

With job.photos (a list of files) and job.outDir it is the batch reference instead: each photo once,
its result saved as PNG in outDir (as `disco colorize` does), and the per-photo times.

Weights: job.checkpoint (official format, e.g. the random official-size set the benchmark exports), or
random weights of job.config ("lite": train_default.py's widths and MobileNetV2 backbone; "official"). Timing does not depend on
the weight values. Writes a PipelineResult as JSON to job.out; stage names match the node types.
"""
import json
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "training"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

from disco import ops  # noqa: E402
from disco.checkpoint import load_checkpoint  # noqa: E402
from disco.export import plain_model  # noqa: E402
from disco.model import DiscoNet, make_config, position_encoding  # noqa: E402


def build_model(job):
    if job.get("checkpoint"):
        return plain_model(load_checkpoint(job["checkpoint"]))
    if job.get("config") == "lite":
        from train_default import LITE
        return plain_model(DiscoNet(make_config(**LITE, backbone_kind="mobilenet_v2")))
    return plain_model(DiscoNet())


def to_working(L, size, keep_aspect):
    """Bilinear resize of L [1,1,H,W] to size x size; keepAspect fits and pads bottom/right with the edge."""
    if not keep_aspect:
        return F.interpolate(L, size=(size, size), mode="bilinear", align_corners=False)
    H, W = L.shape[2:]
    s = size / max(H, W)
    h, w = max(1, round(H * s)), max(1, round(W * s))
    fit = F.interpolate(L, size=(h, w), mode="bilinear", align_corners=False)
    return F.pad(fit, (0, size - w, 0, size - h), mode="replicate"), (h, w)


def pipeline(model, photo, size, keep_aspect, save_to=None):
    """One run; returns {stage: ms}. Stage names are the workflow's node types. save_to: write the result as PNG."""
    t = {}
    clock = [time.perf_counter()]

    def lap(name):
        now = time.perf_counter()
        t[name] = (now - clock[0]) * 1000
        clock[0] = now

    rgb = np.asarray(Image.open(photo).convert("RGB"))
    rgb = torch.from_numpy(rgb.copy()).permute(2, 0, 1)[None].float() / 255
    lap("load-image")
    L, _ = ops.rgb_to_lab(rgb)  # gray-from-photo + rgb-to-lab: the L plane (a = b = 0)
    lap("rgb-to-lab")
    work = to_working(L, size, keep_aspect)
    frame = None
    if keep_aspect:
        work, frame = work
    gray = (work - 50) / 50
    lap("resize-to-working")
    assoc = model.spixel(gray)
    lap("spixelnet")
    feats = model.backbone(gray)
    lap("feature-extractor")
    tokens, _ = ops.sp_pool(feats, assoc)
    sizes = ops.sp_sizes(assoc)
    lap("sp-pool")
    n, _, h, w = tokens.shape
    pos = position_encoding(h, w)
    fc, logits = model.color_modeler(tokens, pos)
    lap("color-modeler")
    mask = ops.locate_anchors(fc, sizes, 8, torch.Generator().manual_seed(1))
    lap("anchor-locator")
    onehot = ops.onehot_bins(logits.argmax(1), mask)
    lap("anchor-colors")
    gen, _ = model.color_generator(tokens, pos, mask, onehot)
    lap("color-generator")
    diffused = ops.sp_diffuse(gen, assoc)
    lap("sp-diffuse")
    ab = model.refiner(gray, diffused)
    lap("refine")
    if frame:
        ab = ab[:, :, :frame[0], :frame[1]]
    ab = F.interpolate(ab * 110, size=L.shape[2:], mode="bilinear", align_corners=False)
    out = (ops.lab_to_rgb(L, ab) * 255).round().clamp(0, 255).to(torch.uint8)
    lap("recombine")
    assert out.shape[2:] == L.shape[2:]
    if save_to:
        Image.fromarray(out[0].permute(1, 2, 0).numpy()).save(save_to)
        lap("save-image")
    return t


def batch(job, model, threads, started):
    """Every photo of job.photos once, saved to job.outDir; the parent times the whole process too."""
    size, keep = job["working"]["size"], job["working"]["keepAspect"]
    os.makedirs(job["outDir"], exist_ok=True)
    ready = time.perf_counter()
    per_photo = []
    with torch.inference_mode():
        for photo in job["photos"]:
            t0 = time.perf_counter()
            name = os.path.splitext(os.path.basename(photo))[0] + ".png"
            pipeline(model, photo, size, keep, save_to=os.path.join(job["outDir"], name))
            per_photo.append((time.perf_counter() - t0) * 1000)
    result = {
        "engine": f"torch {torch.__version__} (cpu, {threads} threads)",
        "setupMs": (ready - started) * 1000,
        "perPhotoMs": per_photo,
        "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    with open(job["out"], "w") as f:
        json.dump(result, f)


def main():
    started = time.perf_counter()
    job = json.loads(sys.argv[1])
    threads = job.get("threads") or os.cpu_count()
    torch.set_num_threads(threads)
    model = build_model(job)
    if job.get("photos"):
        return batch(job, model, threads, started)
    size, keep = job["working"]["size"], job["working"]["keepAspect"]
    with torch.inference_mode():
        t0 = time.perf_counter()
        pipeline(model, job["photo"], size, keep)
        first = (time.perf_counter() - t0) * 1000
        for _ in range(job.get("warmups", 1) - 1):
            pipeline(model, job["photo"], size, keep)
        runs, totals = [], []
        for _ in range(job["runs"]):
            t0 = time.perf_counter()
            runs.append(pipeline(model, job["photo"], size, keep))
            totals.append((time.perf_counter() - t0) * 1000)
    mid = sorted(range(len(totals)), key=lambda i: totals[i])[(len(totals) - 1) // 2]
    result = {
        "engine": f"torch {torch.__version__} (cpu, {threads} threads)",
        "firstMs": first,
        "runsMs": totals,
        "runStagesMs": runs,
        # The stages of the median run (as bench/stats.ts medianRun), so they add up to one run.
        "stagesMs": runs[mid],
        "stagesRunMs": totals[mid],
        "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    with open(job["out"], "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
