"""The PyTorch versions of the parameter-free stages (used for training and evaluation) against the
reference vectors. Run: cd training && /usr/bin/python3 -m unittest discover -s tests -t . -v"""
import json
import os
import unittest

import numpy as np
import torch

from disco import ops

VEC = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "disco-vectors")


def load(case, key):
    with open(os.path.join(VEC, "manifest.json")) as f:
        e = json.load(f)["cases"][case]["files"][key]
    return torch.from_numpy(np.fromfile(os.path.join(VEC, e["file"]), e["dtype"]).reshape(e["shape"]).copy())


class Ops(unittest.TestCase):
    def test_pool(self):
        t, ps = ops.sp_pool(load("spix_pool", "feat"), load("spix_pool", "assoc"))
        with open(os.path.join(VEC, "manifest.json")) as f:
            keys = json.load(f)["cases"]["spix_pool"]["files"]
        outs = [k for k in keys if k not in ("feat", "assoc")]
        ref = {k: load("spix_pool", k) for k in outs}
        tok_key = next(k for k in outs if ref[k].shape[1] == 5)
        sum_key = next(k for k in outs if ref[k].shape[1] == 1)
        torch.testing.assert_close(t, ref[tok_key], atol=1e-5, rtol=1e-5)
        torch.testing.assert_close(ps, ref[sum_key], atol=1e-5, rtol=1e-5)

    def test_diffuse(self):
        out = ops.sp_diffuse(load("spix_diffuse", "tokens"), load("spix_diffuse", "assoc"))
        torch.testing.assert_close(out, load("spix_diffuse", "out"), atol=1e-5, rtol=1e-5)

    def test_sizes(self):
        torch.testing.assert_close(ops.sp_sizes(load("spix_size", "assoc")), load("spix_size", "sizes"))

    def test_bins(self):
        torch.testing.assert_close(ops.BINS, load("gamut", "bins"))
        ab = load("gamut", "ab_norm") * 110
        idx = ops.ab_to_bin(ab.t().reshape(1, 2, -1))[0]
        self.assertEqual(idx.tolist(), load("gamut", "index").reshape(-1).tolist())

    def test_lab_roundtrip(self):
        rgb = torch.rand(1, 3, 8, 8)
        L, ab = ops.rgb_to_lab(rgb)
        torch.testing.assert_close(ops.lab_to_rgb(L, ab), rgb, atol=1e-4, rtol=0)


if __name__ == "__main__":
    unittest.main()
