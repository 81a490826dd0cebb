"""The MobileNetV2 port (disco/mobilenet.py): Keras weight layout, BatchNorm folding, dequantisation,
and the DISCO backbone built on it (shapes, frozen body, exportable with docs/disco-method.md §14's ops)."""
import json
import os
import tempfile
import unittest

import numpy as np
import torch

from disco.export import ALLOWED_OPS, export_stage, onnx_op_types
from disco.mobilenet import MobileNetBackbone, MobileNetV2, _fold, _keras_weights, load_keras_mobilenet, relu6
from disco.model import DiscoNet, make_config

BN_EPS = 1e-3


def keras_conv_same(x, kernel, depthwise=False):
    """Keras Conv2D / DepthwiseConv2D, stride 1, padding 'same', written out with loops.
    x [C,H,W]; kernel [kh,kw,in,out] (or [kh,kw,in,1] for depthwise) -> [out,H,W]."""
    kh, kw = kernel.shape[:2]
    c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2)))
    out_c = c if depthwise else kernel.shape[3]
    y = np.zeros((out_c, h, w))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i:i + h, j:j + w]
            if depthwise:
                y += kernel[i, j, :, 0][:, None, None] * patch
            else:
                y += np.einsum("co,chw->ohw", kernel[i, j], patch)
    return y


def keras_bn(y, bn):
    s = lambda v: v[:, None, None]  # noqa: E731
    return s(bn["gamma"]) * (y - s(bn["moving_mean"])) / np.sqrt(s(bn["moving_variance"]) + BN_EPS) + s(bn["beta"])


def random_bn(rng, c):
    return {"gamma": rng.uniform(0.5, 2, c), "beta": rng.normal(size=c), "moving_mean": rng.normal(size=c),
            "moving_variance": rng.uniform(0.1, 2, c)}


class FoldingMatchesKeras(unittest.TestCase):
    def check(self, depthwise):
        rng = np.random.default_rng(0)
        c_in, c_out = 4, (4 if depthwise else 6)
        kernel = rng.normal(size=(3, 3, c_in, 1 if depthwise else c_out))
        bn = random_bn(rng, c_out)
        x = rng.normal(size=(c_in, 7, 9))
        conv = torch.nn.Conv2d(c_in, c_out, 3, 1, 1, groups=c_in if depthwise else 1)
        _fold(conv, kernel.astype(np.float32), {k: v.astype(np.float32) for k, v in bn.items()},
              depthwise=depthwise)
        with torch.no_grad():
            got = conv(torch.from_numpy(x.astype(np.float32))[None])[0].numpy()
        want = keras_bn(keras_conv_same(x, kernel, depthwise), bn)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)

    def test_conv(self):
        self.check(depthwise=False)

    def test_depthwise_conv(self):
        self.check(depthwise=True)

    def test_relu6(self):
        x = torch.linspace(-10, 10, 101)
        torch.testing.assert_close(relu6(x), x.clamp(0, 6))


def write_keras_folder(folder, weights):
    """A nsfwjs-style folder: model.json with a uint8-quantised weightsManifest, weights.bin."""
    entries, blobs = [], []
    for name, arr in weights.items():
        lo, hi = float(arr.min()), float(arr.max())
        scale = (hi - lo) / 255 or 1.0
        q = np.round((arr - lo) / scale).astype(np.uint8)
        entries.append({"name": name, "shape": list(arr.shape), "dtype": "float32",
                        "quantization": {"min": lo, "scale": scale, "dtype": "uint8"}})
        blobs.append(q.reshape(-1))
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump({"modelTopology": {}, "weightsManifest": [{"paths": ["w"], "weights": entries}]}, f)
    np.concatenate(blobs).tofile(os.path.join(folder, "weights.bin"))


class KerasFolder(unittest.TestCase):
    def test_dequantises_and_fills_every_layer(self):
        rng = np.random.default_rng(1)
        net = MobileNetV2(last_block=2)  # conv1, expanded_conv (no expand), block_1 (stride 2), block_2
        weights = {}

        def conv(name, kernel_shape, bn_name, c):
            weights[name] = rng.normal(size=kernel_shape).astype(np.float32)
            weights.update({f"{bn_name}/{k}": v.astype(np.float32) for k, v in random_bn(rng, c).items()})

        conv("Conv1/kernel", (3, 3, 3, 32), "bn_Conv1", 32)
        for blk in net.blocks:
            n, e = blk.keras_name, blk.depthwise.in_channels
            if blk.expand is not None:
                conv(f"{n}_expand/kernel", (1, 1, blk.expand.in_channels, e), f"{n}_expand_BN", e)
            conv(f"{n}_depthwise/depthwise_kernel", (3, 3, e, 1), f"{n}_depthwise_BN", e)
            conv(f"{n}_project/kernel", (1, 1, e, blk.project.out_channels), f"{n}_project_BN",
                 blk.project.out_channels)
        weights["Conv_1/kernel"] = np.zeros((1, 1, 2, 2), np.float32)  # a weight the cut net does not use
        with tempfile.TemporaryDirectory() as d:
            write_keras_folder(d, weights)
            back = _keras_weights(d)
            for k, v in weights.items():  # uint8 quantisation: within half a step
                step = (v.max() - v.min()) / 255
                self.assertLessEqual(float(np.abs(back[k] - v).max()), step / 2 + 1e-6, k)
            unused, _ = load_keras_mobilenet(net, d)
        self.assertEqual(unused, ["Conv_1/kernel"])
        k = back["block_1_depthwise/depthwise_kernel"]
        torch.testing.assert_close(net.blocks[1].depthwise.weight[5, 0] / net.blocks[1].depthwise.weight[5, 0, 0, 0],
                                   torch.from_numpy(k[:, :, 5, 0] / k[0, 0, 5, 0]))

    def test_truncated_weights_are_refused(self):
        with tempfile.TemporaryDirectory() as d:
            write_keras_folder(d, {"a": np.ones((4,), np.float32)})
            with open(os.path.join(d, "weights.bin"), "ab") as f:
                f.write(b"\0")
            with self.assertRaisesRegex(ValueError, "weights.bin has 5 bytes"):
                _keras_weights(d)


class Backbone(unittest.TestCase):
    def test_interface_and_frozen_body(self):
        bb = MobileNetBackbone().train()
        for size in (64, 80):  # 80: a multiple of 16 but not of 32
            out = bb(torch.rand(2, 1, size, size) * 2 - 1)
            self.assertEqual(tuple(out.shape), (2, 64, size, size))
        self.assertTrue(all(not p.requires_grad for p in bb.body.parameters()))
        self.assertTrue(any(p.requires_grad for p in bb.parameters()))

    def test_exports_within_spec_ops(self):
        torch.manual_seed(0)
        model = DiscoNet(make_config(backbone_kind="mobilenet_v2")).eval()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "backbone.onnx")
            export_stage(model, "backbone", path)
            self.assertLessEqual(set(onnx_op_types(path)), ALLOWED_OPS)


if __name__ == "__main__":
    unittest.main()
