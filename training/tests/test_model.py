"""Checkpoint layout, spectral-norm baking and position encoding of the clean-room DISCO model.

Run: cd training && /usr/bin/python3 -m unittest discover -s tests -t . -v
"""
import os
import tempfile
import unittest

import numpy as np
import torch

from disco.checkpoint import (CheckpointError, apply_spectral_norm, bake_spectral_norm, load_checkpoint,
                              load_into_model, official_state_dict, read_checkpoint, save_official)
from disco.model import DiscoNet, make_config, position_encoding

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "disco-vectors")
TSV = os.path.join(VECTORS, "state_dict.tsv")
LITE = make_config(spixel=[4, 8, 8, 16, 16], backbone=[8, 8, 16, 16], backbone_mid_blocks=1,
                   refiner=[8, 8, 16], refiner_res_blocks=1, encoder_layers=1, ffn=32)


def tsv_rows():
    with open(TSV) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


class StateDictLayout(unittest.TestCase):
    def test_official_layout_matches_state_dict_tsv(self):
        sd = official_state_dict(DiscoNet())
        rows = tsv_rows()
        self.assertEqual(len(rows), 461)
        self.assertEqual(list(sd.keys()), [r[0] for r in rows])  # same keys in the same order
        for key, shape, dtype in rows:
            t = sd[key]
            self.assertEqual(",".join(str(d) for d in t.shape), shape, key)
            self.assertEqual(str(t.dtype).replace("torch.", ""), dtype, key)
        self.assertEqual(sum(1 for k in sd if k.endswith(".weight_orig")), 23)

    def test_parameter_counts_match_spec(self):
        m = DiscoNet()
        count = lambda mod: sum(p.numel() for p in mod.parameters())  # noqa: E731
        self.assertEqual(count(m), 43_063_739)
        self.assertEqual(count(m.segnet), 2_269_497)
        self.assertEqual(count(m.repnet), 32_529_216)
        self.assertEqual(count(m.enhanceNet), 7_600_962)
        self.assertEqual(count(m.wildpath), 299_904)

    def test_saved_file_has_official_entries_and_reloads_strict(self):
        model = apply_spectral_norm(DiscoNet(LITE), power_iters=5).eval()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.pth.tar")
            save_official(model, path, config=LITE)
            obj = torch.load(path)
            self.assertEqual(sorted(obj), ["best_loss", "config", "epoch", "optimizer", "state_dict"])
            loaded = load_checkpoint(path)
        x = torch.rand(1, 1, 32, 32) * 2 - 1
        with torch.no_grad():
            torch.testing.assert_close(loaded.backbone(x), model.backbone(x), atol=1e-5, rtol=1e-4)
            torch.testing.assert_close(loaded.refiner(x, model.backbone(x)), model.refiner(x, model.backbone(x)),
                                       atol=1e-5, rtol=1e-4)

    def test_module_prefix_is_stripped(self):
        sd = {"module." + k: v for k, v in official_state_dict(DiscoNet(LITE)).items()}
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "dp.pth")
            torch.save({"state_dict": sd, "epoch": 1}, path)
            got, _ = read_checkpoint(path)
        self.assertTrue(all(not k.startswith("module.") for k in got))
        load_into_model(DiscoNet(LITE), got)

    def test_wrong_keys_are_named(self):
        sd = official_state_dict(DiscoNet(LITE))
        sd.pop("segnet.net.conv0a.0.weight")
        with self.assertRaisesRegex(CheckpointError, "missing key 'segnet.net.conv0a.0.weight'"):
            load_into_model(DiscoNet(LITE), sd)
        sd = official_state_dict(DiscoNet(LITE))
        sd["extra.weight"] = torch.zeros(1)
        with self.assertRaisesRegex(CheckpointError, "unexpected key 'extra.weight'"):
            load_into_model(DiscoNet(LITE), sd)

    def test_missing_file_is_named(self):
        with self.assertRaisesRegex(CheckpointError, "not found: /nonexistent.pth"):
            read_checkpoint("/nonexistent.pth")


class SpectralNormBaking(unittest.TestCase):
    def test_baked_conv_equals_legacy_spectral_norm_in_eval(self):
        torch.manual_seed(3)
        conv = torch.nn.Conv2d(5, 7, 3, 1, 1)
        sn = torch.nn.utils.spectral_norm(conv)
        sn.train()
        x = torch.randn(2, 5, 9, 9)
        for _ in range(4):  # a few training steps' worth of power iteration moves u, v
            sn(x)
        sn.eval()
        with torch.no_grad():
            ref = sn(x)
            baked = bake_spectral_norm({k: v.clone() for k, v in sn.state_dict().items()})
            plain = torch.nn.Conv2d(5, 7, 3, 1, 1)
            plain.load_state_dict(baked, strict=True)
            torch.testing.assert_close(plain(x), ref, atol=1e-6, rtol=1e-5)
        # u and v were not updated by baking (no power iteration at inference)
        self.assertEqual(set(baked), {"weight", "bias"})

    def test_whole_model_matches_its_spectral_norm_version(self):
        torch.manual_seed(4)
        sn_model = apply_spectral_norm(DiscoNet(LITE), power_iters=3).eval()
        plain = load_into_model(DiscoNet(LITE), official_state_dict(sn_model)).eval()
        x = torch.rand(1, 1, 32, 32) * 2 - 1
        with torch.no_grad():
            torch.testing.assert_close(plain.backbone(x), sn_model.backbone(x), atol=1e-6, rtol=1e-5)


class PositionEncoding(unittest.TestCase):
    def check(self, h, w, name):
        ref = np.fromfile(os.path.join(VECTORS, f"posenc.{name}.bin"), "<f4").reshape(1, 64, h, w)
        got = position_encoding(h, w).numpy()
        self.assertLess(np.abs(got - ref).max(), 2e-6)

    def test_16x16(self):
        self.check(16, 16, "h16_w16")

    def test_4_rows_3_columns(self):
        self.check(4, 3, "h4_w3")


class StageShapes(unittest.TestCase):
    def test_stage_interfaces(self):
        m = DiscoNet(LITE).eval()
        gray = torch.zeros(2, 1, 48, 64)
        tok = torch.zeros(2, 64, 3, 4)
        pos = position_encoding(3, 4).expand(2, -1, -1, -1)
        with torch.no_grad():
            self.assertEqual(tuple(m.spixel(gray).shape), (2, 9, 48, 64))
            torch.testing.assert_close(m.spixel(gray).sum(1), torch.ones(2, 48, 64))
            self.assertEqual(tuple(m.backbone(gray).shape), (2, 64, 48, 64))
            fc, z = m.color_modeler(tok, pos)
            self.assertEqual((tuple(fc.shape), tuple(z.shape)), ((2, 64, 3, 4), (2, 313, 3, 4)))
            g, aux = m.color_generator(tok, pos, torch.zeros(2, 1, 3, 4), torch.zeros(2, 313, 3, 4))
            self.assertEqual((tuple(g.shape), tuple(aux.shape)), ((2, 64, 3, 4), (2, 313, 3, 4)))
            self.assertEqual(tuple(m.refiner(gray, torch.zeros(2, 64, 48, 64)).shape), (2, 2, 48, 64))

    def test_token_order_is_row_major(self):
        # attention is permutation-equivariant, so check the grid<->sequence mapping directly
        from disco.model import grid_to_seq, seq_to_grid
        t = torch.arange(2 * 3 * 4, dtype=torch.float32).reshape(1, 2, 3, 4)
        s = grid_to_seq(t)
        self.assertEqual(s[0, 5].tolist(), [t[0, 0, 1, 1].item(), t[0, 1, 1, 1].item()])  # token 5 = row 1, col 1
        torch.testing.assert_close(seq_to_grid(s, t, 2), t)

    def test_attention_matches_torch_multihead_attention(self):
        from disco.model import EncoderLayer
        torch.manual_seed(5)
        layer = EncoderLayer(64, 8, 256).eval()
        mha = torch.nn.MultiheadAttention(64, 8).eval()
        mha.load_state_dict(layer.self_attn.state_dict())
        x, p = torch.randn(2, 6, 64), torch.randn(2, 6, 64)  # (N, L, C)
        with torch.no_grad():
            ours = layer.self_attn(x + p, x)
            ref = mha((x + p).transpose(0, 1), (x + p).transpose(0, 1), x.transpose(0, 1),
                      need_weights=False)[0].transpose(0, 1)
        torch.testing.assert_close(ours, ref, atol=1e-5, rtol=1e-5)


if __name__ == "__main__":
    unittest.main()
