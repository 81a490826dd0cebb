"""Reading and writing DISCO checkpoints in the official format (docs/disco-method.md §13).

Official files are torch.save dicts {epoch, state_dict, best_loss, optimizer}. The 23 spectral-norm
convs store weight_orig / weight_u / weight_v (legacy torch.nn.utils.spectral_norm names) instead of
weight. We bake weight = weight_orig / (u . (W v)) once, with no power iteration, as the reference does
in eval mode, and load into DiscoNet whose convs are plain.
"""
import copy
import os

import torch
import torch.nn as nn

from .model import DiscoNet, OFFICIAL_CONFIG


class CheckpointError(ValueError):
    """The file is missing, unreadable or not a DISCO checkpoint; the message names the problem."""


def read_checkpoint(path):
    """torch.load a checkpoint; return (state_dict with any `module.` prefix stripped, config or None).

    config is the width config our trainer stores; official files have none (official widths)."""
    if not os.path.isfile(path):
        raise CheckpointError(f"checkpoint file not found: {path}")
    try:
        obj = torch.load(path, map_location="cpu")
    except Exception as e:  # torch raises many types for corrupt files
        raise CheckpointError(f"cannot read {path} with torch.load: {type(e).__name__}: {e}") from None
    config = None
    if isinstance(obj, dict) and "state_dict" in obj:
        sd = obj["state_dict"]
        config = obj.get("config")
    elif isinstance(obj, dict) and obj and all(torch.is_tensor(v) for v in obj.values()):
        sd = obj  # a bare state_dict
    else:
        raise CheckpointError(f"{path} is not a DISCO checkpoint: no 'state_dict' entry")
    if not isinstance(sd, dict):
        raise CheckpointError(f"{path}: 'state_dict' is a {type(sd).__name__}, expected a dict")
    sd = {(k[len("module."):] if k.startswith("module.") else k): v for k, v in sd.items()}
    return sd, (copy.deepcopy(config) if config else None)


def bake_spectral_norm(sd):
    """Replace every (weight_orig, weight_u, weight_v) triple by weight = weight_orig / sigma."""
    out = {}
    for k, v in sd.items():
        leaf = k.rsplit(".", 1)[-1]
        if leaf in ("weight_u", "weight_v"):
            continue
        if leaf == "weight_orig":
            base = k[: -len("_orig")]
            u, vv = sd.get(base + "_u"), sd.get(base + "_v")
            if u is None or vv is None:
                raise CheckpointError(f"spectral-norm conv {base} lacks weight_u or weight_v")
            w_mat = v.reshape(v.shape[0], -1)
            sigma = torch.dot(u, torch.mv(w_mat, vv))
            out[base] = v / sigma
        else:
            out[k] = v
    return out


def load_into_model(model, sd):
    """load_state_dict(strict=True) after baking; raises CheckpointError naming the first bad key."""
    baked = bake_spectral_norm(sd)
    expected = model.state_dict()
    missing = [k for k in expected if k not in baked]
    unexpected = [k for k in baked if k not in expected]
    if missing:
        raise CheckpointError(f"not a DISCO checkpoint for this config: missing key {missing[0]!r} "
                              f"({len(missing)} missing, {len(unexpected)} unexpected)")
    if unexpected:
        raise CheckpointError(f"not a DISCO checkpoint for this config: unexpected key {unexpected[0]!r} "
                              f"({len(unexpected)} unexpected)")
    for k, t in expected.items():
        if tuple(baked[k].shape) != tuple(t.shape):
            raise CheckpointError(f"key {k!r} has shape {tuple(baked[k].shape)}, expected {tuple(t.shape)}")
    model.load_state_dict(baked, strict=True)
    return model


def load_checkpoint(path, config=None):
    """Build DiscoNet (config from the file, else official) and load the checkpoint into it, eval mode."""
    sd, stored = read_checkpoint(path)
    config = config or stored or OFFICIAL_CONFIG
    return load_into_model(DiscoNet(config), sd).eval()


def _power_iteration(w, u, v, iters):
    w_mat = w.reshape(w.shape[0], -1)
    for _ in range(iters):
        v = nn.functional.normalize(torch.mv(w_mat.t(), u), dim=0, eps=1e-12)
        u = nn.functional.normalize(torch.mv(w_mat, v), dim=0, eps=1e-12)
    return u, v


def has_spectral_norm(model):
    return any(k.endswith(".weight_orig") for k in model.state_dict())


def apply_spectral_norm(model, power_iters=0):
    """Wrap the SN convs with legacy torch.nn.utils.spectral_norm (for training), in place.

    model.state_dict() then has the official layout. power_iters > 0 runs that many power iterations
    on u, v so that sigma is close to the largest singular value right away."""
    modules = dict(model.named_modules())
    for name in model.spectral_norm_convs():
        conv = modules[name]
        torch.nn.utils.spectral_norm(conv)  # registers weight_orig, weight_u, weight_v (in that order)
        if power_iters:
            with torch.no_grad():
                u, v = _power_iteration(conv.weight_orig, conv.weight_u, conv.weight_v, power_iters)
                conv.weight_u.copy_(u)
                conv.weight_v.copy_(v)
    return model


def official_state_dict(model, power_iters=30):
    """The model's weights in the official checkpoint layout.

    If the SN convs are already wrapped (a model trained with apply_spectral_norm) this is just its
    state_dict. Otherwise each SN conv's weight becomes weight_orig with u, v from power iteration;
    loading the result gives weight / sigma(weight), as the official model computes."""
    if has_spectral_norm(model):
        m = model
    else:
        m = apply_spectral_norm(copy.deepcopy(model).cpu(), power_iters)
    return {k: v.detach().clone().cpu() for k, v in m.state_dict().items()}


def save_official(model, path, epoch=0, best_loss=float("inf"), config=None):
    """torch.save({epoch, state_dict, best_loss, optimizer[, config]}) like the official trainer."""
    sd = official_state_dict(model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    obj = {"epoch": epoch, "state_dict": sd, "best_loss": best_loss, "optimizer": opt.state_dict()}
    if config is not None:
        obj["config"] = config
    torch.save(obj, path)
    return sd
