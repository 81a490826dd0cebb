"""Export DISCO's five learned stages to ONNX (opset 17) and write a model-set manifest (docs/disco-method.md §14).

Stage graph contract (NCHW float32; N, H, W symbolic, H and W multiples of 16; h = H/16, w = W/16):
  spixelnet        gray [N,1,H,W]                                   -> assoc [N,9,H,W]
  backbone         gray [N,1,H,W]                                   -> features [N,64,H,W]
  color_modeler    tokens, pos [N,64,h,w]                           -> color_features [N,64,h,w], logits [N,313,h,w]
  color_generator  tokens, pos [N,64,h,w], mask [N,1,h,w], onehot [N,313,h,w]
                                                                    -> gen_tokens [N,64,h,w], aux_logits [N,313,h,w]
  refiner          gray [N,1,H,W], features [N,64,H,W]              -> ab [N,2,H,W]
"""
import hashlib
import json
import os
import warnings

import numpy as np
import torch
import torch.nn as nn

from .checkpoint import has_spectral_norm, load_into_model, official_state_dict
from .model import CELL, D_MODEL, N_BINS, DiscoNet, position_encoding

OPSET = 17
FORMAT_VERSION = 1
WORKING_SIZE = 256

# docs/disco-method.md §14: the only op types allowed in the stage graphs
ALLOWED_OPS = {
    "Conv", "ConvTranspose", "BatchNormalization", "LeakyRelu", "Relu", "Softmax", "Concat", "Resize",
    "Add", "Mul", "Div", "MatMul", "Gemm", "LayerNormalization", "Tanh",
    "Shape", "Gather", "Reshape", "Transpose", "Slice", "Unsqueeze", "Cast", "Constant",
    "ConstantOfShape", "Identity", "Pad", "AveragePool",
}

IMG = ["N", 1, "H", "W"]


def _tok(c):
    return ["N", c, "h", "w"]


# name -> (method on DiscoNet, [(input, shape)], [(output, shape)])
STAGES = {
    "spixelnet": ("spixel", [("gray", IMG)], [("assoc", ["N", 9, "H", "W"])]),
    "backbone": ("backbone", [("gray", IMG)], [("features", ["N", D_MODEL, "H", "W"])]),
    "color_modeler": ("color_modeler", [("tokens", _tok(D_MODEL)), ("pos", _tok(D_MODEL))],
                      [("color_features", _tok(D_MODEL)), ("logits", _tok(N_BINS))]),
    "color_generator": ("color_generator",
                        [("tokens", _tok(D_MODEL)), ("pos", _tok(D_MODEL)), ("mask", _tok(1)),
                         ("onehot", _tok(N_BINS))],
                        [("gen_tokens", _tok(D_MODEL)), ("aux_logits", _tok(N_BINS))]),
    "refiner": ("refiner", [("gray", IMG), ("features", ["N", D_MODEL, "H", "W"])],
                [("ab", ["N", 2, "H", "W"])]),
}


class _Stage(nn.Module):
    def __init__(self, model, method):
        super().__init__()
        self.model = model
        self.method = method

    def forward(self, *args):
        return getattr(self.model, self.method)(*args)


def plain_model(model):
    """An eval-mode DiscoNet with spectral norm baked into plain conv weights."""
    if has_spectral_norm(model):
        fresh = DiscoNet(model.config)
        model = load_into_model(fresh, official_state_dict(model))
    return model.eval()


def example_inputs(size=64, tokens=None, batch=1, seed=0):
    """Deterministic random inputs for every stage: image stages at size x size, token stages at
    tokens x tokens (default size/16). Returns {stage: {input: tensor}}."""
    g = torch.Generator().manual_seed(seed)
    t = tokens or size // CELL
    gray = torch.rand(batch, 1, size, size, generator=g) * 2 - 1
    feats = torch.relu(torch.randn(batch, D_MODEL, size, size, generator=g)) * 0.15  # backbone-like scale
    tok = torch.relu(torch.randn(batch, D_MODEL, t, t, generator=g))
    pos = position_encoding(t, t).expand(batch, -1, -1, -1).contiguous()
    mask = (torch.rand(batch, 1, t, t, generator=g) < 0.5).float()
    labels = torch.randint(0, N_BINS, (batch, t, t), generator=g)
    onehot = torch.nn.functional.one_hot(labels, N_BINS).permute(0, 3, 1, 2).float() * mask
    return {
        "spixelnet": {"gray": gray},
        "backbone": {"gray": gray},
        "color_modeler": {"tokens": tok, "pos": pos},
        "color_generator": {"tokens": tok, "pos": pos, "mask": mask, "onehot": onehot},
        "refiner": {"gray": gray, "features": feats},
    }


def onnx_op_types(path):
    import onnx
    return sorted({n.op_type for n in onnx.load(path, load_external_data=False).graph.node})


def export_stage(model, stage, path, size=64):
    """Trace one stage of an eval-mode, SN-free DiscoNet to `path`; fails on ops outside ALLOWED_OPS."""
    method, ins, outs = STAGES[stage]
    args = tuple(example_inputs(size)[stage][n] for n, _ in ins)
    dyn = {}
    for name, shape in ins + outs:
        dyn[name] = {i: d for i, d in enumerate(shape) if isinstance(d, str)}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer/shape-inference chatter; the op check below is what matters
        torch.onnx.export(_Stage(model, method), args, path, opset_version=OPSET,
                          input_names=[n for n, _ in ins], output_names=[n for n, _ in outs],
                          dynamic_axes=dyn, do_constant_folding=True,
                          training=torch.onnx.TrainingMode.EVAL)
    bad = sorted(set(onnx_op_types(path)) - ALLOWED_OPS)
    if bad:
        raise RuntimeError(f"{stage}: graph contains op types outside docs/disco-method.md §14: {', '.join(bad)}")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _io(entries):
    return [{"name": n, "dtype": "float32", "shape": s} for n, s in entries]


def export_model_set(model, out_dir, name, description, source, license, quality=None):
    """Export all five stages into out_dir/<name>/ and write manifest.json; returns the manifest."""
    model = plain_model(model)
    set_dir = os.path.join(out_dir, name)
    os.makedirs(set_dir, exist_ok=True)
    stages = {}
    for stage, (_, ins, outs) in STAGES.items():
        file = f"{stage}.onnx"
        path = os.path.join(set_dir, file)
        export_stage(model, stage, path)
        stages[stage] = {"file": file, "sha256": sha256_file(path), "bytes": os.path.getsize(path),
                         "opset": OPSET, "inputs": _io(ins), "outputs": _io(outs)}
    manifest = {
        "name": name, "description": description, "formatVersion": FORMAT_VERSION, "cell": CELL,
        "workingSize": WORKING_SIZE, "source": source, "license": license, "stages": stages,
        "quality": quality if quality is not None else {"measured": None,
                                                        "reason": "no evaluation was run for this set"},
    }
    with open(os.path.join(set_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def dump_stage_io(model, out_dir, size=64, tokens=4, seed=0):
    """Write each stage's example inputs and PyTorch outputs as raw little-endian float32 files plus
    index.json: {size, tokens, seed, stages: {stage: {inputs|outputs: {name: {file, shape}}}}}."""
    model = plain_model(model)
    os.makedirs(out_dir, exist_ok=True)
    inputs = example_inputs(size, tokens, seed=seed)
    index = {"size": size, "tokens": tokens, "seed": seed, "dtype": "float32", "endianness": "little",
             "stages": {}}

    def write(stage, name, t):
        file = f"{stage}.{name}.f32"
        np.ascontiguousarray(t.detach().numpy(), dtype="<f4").tofile(os.path.join(out_dir, file))
        return {"file": file, "shape": list(t.shape)}

    with torch.no_grad():
        for stage, (method, ins, outs) in STAGES.items():
            args = [inputs[stage][n] for n, _ in ins]
            res = getattr(model, method)(*args)
            res = res if isinstance(res, tuple) else (res,)
            index["stages"][stage] = {
                "inputs": {n: write(stage, n, a) for (n, _), a in zip(ins, args)},
                "outputs": {n: write(stage, n, r) for (n, _), r in zip(outs, res)},
            }
    with open(os.path.join(out_dir, "index.json"), "w") as f:
        json.dump(index, f, indent=2)
    return index
