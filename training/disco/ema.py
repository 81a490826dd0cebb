"""Exponential moving average of a model's weights (what train_default.py evaluates and exports)."""
import copy

import torch


class WeightAverage:
    """A copy of `model` whose floating-point state follows the live weights with the given decay.

    The decay ramps up as (1 + n) / (10 + n) over the first updates, so the average does not stay
    anchored to the random start. Spectral norm's weight_u / weight_v are unit power-iteration vectors,
    not weights: they are copied from the live model, never blended. Integer buffers are copied too."""

    def __init__(self, model, decay):
        for m in model.modules():
            w = getattr(m, "weight", None)
            if torch.is_tensor(w) and w.grad_fn is not None:
                # spectral norm's weight, cached by its forward pre-hook with its graph (after a training
                # step): deepcopy refuses such tensors, and the hook recomputes it on every forward anyway
                m.weight = w.detach()
        self.model = copy.deepcopy(model)
        self.decay = decay
        self.updates = 0

    def update(self, live_model):
        self.updates += 1
        decay = min(self.decay, (1 + self.updates) / (10 + self.updates))
        live = live_model.state_dict()
        with torch.no_grad():
            for k, v in self.model.state_dict().items():  # these tensors share storage with the copy's
                if v.dtype.is_floating_point and not k.endswith(("weight_u", "weight_v")):
                    v.mul_(decay).add_(live[k], alpha=1 - decay)
                else:
                    v.copy_(live[k])
