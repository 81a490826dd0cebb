"""MobileNetV2 (Keras layout) in PyTorch, with the weights nsfwjs ships, as a frozen DISCO backbone.

nsfwjs (npm, MIT) bundles a Keras MobileNetV2, ImageNet-initialised and fine-tuned for a 5-way image
classifier; training/data/fetch_mobilenet.py unpacks it to .cache/mobilenet_v2/. Its weights are uint8
(value = min + scale * q). Every BatchNormalization is folded into the conv before it, so the network is
Conv (+bias), ReLU6 and Add only; ReLU6 is written as relu(x) - relu(x - 6) with Relu/Add/Mul so that the
exported graph stays within docs/disco-method.md §14's op list (no Clip).

MobileNetBackbone keeps the DISCO backbone interface, gray [N,1,H,W] in (L-50)/50 -> features [N,64,H,W]:
the frozen body up to block_12 (stride 16, 96 channels) and block_5 (stride 8, 32 channels), and a small
trainable head that mixes the two and upsamples to full resolution.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# (expansion t, output channels c, repeats n, first stride s): the MobileNetV2 table, width 1.0
SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
            (6, 320, 1, 1)]
CLASSES = ["drawing", "hentai", "neutral", "porn", "sexy"]  # nsfwjs's classifier outputs


def relu6(x):
    return F.relu(x) + F.relu(x + (-6.0)) * (-1.0)


def _conv(i, o, k=1, stride=1, groups=1):
    # padding: 'same' for stride 1; stride 2 uses Keras's explicit (0,1) zero padding, see _Block
    return nn.Conv2d(i, o, k, stride, padding=(k // 2 if stride == 1 else 0), groups=groups, bias=True)


class _Block(nn.Module):
    """Inverted residual: [expand 1x1, ReLU6], depthwise 3x3, ReLU6, project 1x1, [+ input]."""

    def __init__(self, keras_name, i, o, t, stride):
        super().__init__()
        self.keras_name = keras_name
        self.expand = _conv(i, i * t) if t != 1 else None
        self.depthwise = _conv(i * t, i * t, 3, stride, groups=i * t)
        self.project = _conv(i * t, o)
        self.stride = stride
        self.residual = stride == 1 and i == o

    def forward(self, x):
        y = relu6(self.expand(x)) if self.expand is not None else x
        if self.stride == 2:
            y = F.pad(y, (0, 1, 0, 1))
        y = self.project(relu6(self.depthwise(y)))
        return x + y if self.residual else y


class MobileNetV2(nn.Module):
    """The body (Conv1 + 17 blocks), optionally cut after block `last_block`; forward returns the outputs
    of the blocks listed in `taps` (Keras block index: 0 = expanded_conv, 1..16 = block_1..block_16)."""

    def __init__(self, last_block=16):
        super().__init__()
        self.conv1 = _conv(3, 32, 3, 2)
        blocks, c, idx = [], 32, 0
        for t, o, n, s in SETTINGS:
            for r in range(n):
                if idx > last_block:
                    break
                name = "expanded_conv" if idx == 0 else f"block_{idx}"
                blocks.append(_Block(name, c, o, t, s if r == 0 else 1))
                c, idx = o, idx + 1
        self.blocks = nn.ModuleList(blocks)

    def forward(self, rgb01, taps):
        x = relu6(self.conv1(F.pad(rgb01, (0, 1, 0, 1))))
        out = {}
        for i, blk in enumerate(self.blocks):
            x = blk(x)
            if i in taps:
                out[i] = x
            if i == max(taps):
                break  # nothing past the last tap is needed
        return out


def _keras_weights(folder):
    """{keras weight name: float32 numpy array}, dequantised."""
    with open(os.path.join(folder, "model.json")) as f:
        manifest = json.load(f)["weightsManifest"]
    raw = np.fromfile(os.path.join(folder, "weights.bin"), dtype=np.uint8)
    out, at = {}, 0
    for group in manifest:
        for w in group["weights"]:
            n = int(np.prod(w["shape"]))
            q = w.get("quantization")
            if q is None or q["dtype"] != "uint8":
                raise ValueError(f"{w['name']}: expected uint8-quantised weights, got {q}")
            out[w["name"]] = (q["min"] + q["scale"] * raw[at:at + n].astype(np.float32)).reshape(w["shape"])
            at += n
    if at != raw.size:
        raise ValueError(f"weights.bin has {raw.size} bytes, manifest describes {at}")
    return out


def _fold(conv, kernel, bn, eps=1e-3, depthwise=False):
    """Set conv's weight and bias to Keras kernel followed by Keras BatchNormalization `bn` (a dict)."""
    k = torch.from_numpy(kernel)
    w = k.permute(2, 3, 0, 1) if depthwise else k.permute(3, 2, 0, 1)  # [kh,kw,in,1|out] -> torch
    w = w.reshape(conv.weight.shape)
    scale = torch.from_numpy(bn["gamma"] / np.sqrt(bn["moving_variance"] + eps))
    with torch.no_grad():
        conv.weight.copy_(w * scale.reshape(-1, 1, 1, 1))
        conv.bias.copy_(torch.from_numpy(bn["beta"]) - torch.from_numpy(bn["moving_mean"]) * scale)


def load_keras_mobilenet(net, folder):
    """Fill a MobileNetV2 (any cut) with the nsfwjs weights in `folder`; returns the unused Keras names."""
    kw = _keras_weights(folder)
    used = set()

    def bn(prefix):
        d = {p: kw[f"{prefix}/{p}"] for p in ("gamma", "beta", "moving_mean", "moving_variance")}
        used.update(f"{prefix}/{p}" for p in d)
        return d

    def kernel(name):
        used.add(name)
        return kw[name]

    _fold(net.conv1, kernel("Conv1/kernel"), bn("bn_Conv1"))
    for blk in net.blocks:
        n = blk.keras_name
        if blk.expand is not None:
            _fold(blk.expand, kernel(f"{n}_expand/kernel"), bn(f"{n}_expand_BN"))
        _fold(blk.depthwise, kernel(f"{n}_depthwise/depthwise_kernel"), bn(f"{n}_depthwise_BN"), depthwise=True)
        _fold(blk.project, kernel(f"{n}_project/kernel"), bn(f"{n}_project_BN"))
    return sorted(set(kw) - used), kw


class NsfwClassifier(nn.Module):
    """The whole nsfwjs model (224x224 RGB in [0,1] -> 5 class probabilities); used only to check that
    the port and the weights are right (photos should come out "neutral", drawings "drawing")."""

    def __init__(self, folder):
        super().__init__()
        self.body = MobileNetV2()
        unused, kw = load_keras_mobilenet(self.body, folder)
        self.conv_last = _conv(320, 1280)
        _fold(self.conv_last, kw["Conv_1/kernel"], {p: kw[f"Conv_1_bn/{p}"] for p in
                                                      ("gamma", "beta", "moving_mean", "moving_variance")})
        self.dense = nn.ModuleList()
        for name in ("dense_1", "dense_2", "dense_3"):
            k = torch.from_numpy(kw[f"{name}/kernel"])
            lin = nn.Linear(k.shape[0], k.shape[1])
            with torch.no_grad():
                lin.weight.copy_(k.t())
                lin.bias.copy_(torch.from_numpy(kw[f"{name}/bias"]))
            self.dense.append(lin)

    def forward(self, rgb01):
        x = self.body(rgb01, {16})[16]
        x = relu6(self.conv_last(x))
        x = F.avg_pool2d(x, 7).flatten(1)
        x = F.relu(self.dense[0](x))
        x = F.relu(self.dense[1](x))
        return torch.softmax(self.dense[2](x), 1)


class MobileNetBackbone(nn.Module):
    """DISCO backbone interface on a frozen MobileNetV2 body (see module docstring)."""

    TAP8, TAP16 = 5, 12  # block_5 (stride 8, 32 ch) and block_12 (stride 16, 96 ch)

    def __init__(self, out_ch=64, weights_folder=None):
        super().__init__()
        self.body = MobileNetV2(last_block=self.TAP16)
        if weights_folder is not None:
            load_keras_mobilenet(self.body, weights_folder)
        for p in self.body.parameters():
            p.requires_grad_(False)
        self.lat8 = nn.Conv2d(32, out_ch, 1)
        self.lat16 = nn.Conv2d(96, out_ch, 1)
        self.mix = nn.Sequential(nn.LeakyReLU(0.2), nn.Conv2d(out_ch, out_ch, 3, 1, 1), nn.LeakyReLU(0.2),
                                 nn.Conv2d(out_ch, out_ch, 3, 1, 1), nn.ReLU())

    def spectral_norm_convs(self):
        return []

    def train(self, mode=True):
        super().train(mode)
        self.body.eval()  # frozen: no dropout/BN here anyway, but keep it explicit
        return self

    def forward(self, gray):
        gray01 = gray * 0.5 + 0.5  # (L-50)/50 -> L/100, close to the sRGB gray value nsfwjs saw (x/255)
        rgb = torch.cat([gray01, gray01, gray01], 1)
        f = self.body(rgb, {self.TAP8, self.TAP16})
        x = self.lat8(f[self.TAP8]) + F.interpolate(self.lat16(f[self.TAP16]), scale_factor=2.0, mode="nearest")
        return F.interpolate(self.mix(x), scale_factor=8.0, mode="nearest")
