"""Export of an official-format checkpoint to the five ONNX stage graphs, the CLI's error handling, and
the stage input/output dump that the TypeScript parity test reads.

Run: cd training && /usr/bin/python3 -m unittest discover -s tests -t . -v
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch

from disco.checkpoint import apply_spectral_norm, save_official
from disco.export import ALLOWED_OPS, STAGES, dump_stage_io, onnx_op_types, sha256_file
from disco.model import DiscoNet

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
CLI = os.path.join(TRAINING, "import_checkpoint.py")
RANDOM = os.path.join(TRAINING, "make_random_checkpoint.py")


def run(args, python=sys.executable):
    return subprocess.run([python] + args, capture_output=True, text=True)


class OfficialExport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.ckpt = os.path.join(cls.tmp.name, "random.pth.tar")
        r = run([RANDOM, cls.ckpt, "--seed", "0"])
        assert r.returncode == 0, r.stderr
        cls.out = os.path.join(cls.tmp.name, "models")
        cls.dump = os.path.join(cls.tmp.name, "dump")
        cls.result = run([CLI, cls.ckpt, "--name", "random", "--out", cls.out, "--dump", cls.dump])
        cls.set_dir = os.path.join(cls.out, "random")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_cli_succeeds_with_one_line(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertEqual(len(self.result.stdout.strip().splitlines()), 1)
        self.assertIn("wrote 5 stages", self.result.stdout)

    def test_manifest(self):
        with open(os.path.join(self.set_dir, "manifest.json")) as f:
            m = json.load(f)
        for key in ["name", "description", "formatVersion", "cell", "workingSize", "source", "license",
                    "stages", "quality"]:
            self.assertIn(key, m)
        self.assertEqual((m["name"], m["formatVersion"], m["cell"], m["workingSize"]), ("random", 1, 16, 256))
        self.assertEqual(list(m["stages"]), ["spixelnet", "backbone", "color_modeler", "color_generator", "refiner"])
        gen = m["stages"]["color_generator"]
        self.assertEqual([i["name"] for i in gen["inputs"]], ["tokens", "pos", "mask", "onehot"])
        self.assertEqual(gen["inputs"][3]["shape"], ["N", 313, "h", "w"])
        for name, s in m["stages"].items():
            path = os.path.join(self.set_dir, s["file"])
            self.assertEqual(s["sha256"], sha256_file(path))
            self.assertEqual(s["bytes"], os.path.getsize(path))
            self.assertEqual(s["opset"], 17)

    def test_graphs_use_only_allowed_ops_and_dynamic_dims(self):
        for stage, (_, ins, outs) in STAGES.items():
            path = os.path.join(self.set_dir, f"{stage}.onnx")
            ops = set(onnx_op_types(path))
            self.assertTrue(ops <= ALLOWED_OPS, f"{stage}: {sorted(ops - ALLOWED_OPS)}")
            g = onnx.load(path)
            onnx.checker.check_model(g)
            self.assertEqual(g.opset_import[0].version, 17)
            self.assertEqual([i.name for i in g.graph.input], [n for n, _ in ins])
            self.assertEqual([o.name for o in g.graph.output], [n for n, _ in outs])
            for vi, (_, shape) in zip(list(g.graph.input) + list(g.graph.output), ins + outs):
                dims = [d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim]
                self.assertEqual(dims, shape, f"{stage}.{vi.name}")

    def test_sizes_match_spec(self):
        mb = {s: os.path.getsize(os.path.join(self.set_dir, f"{s}.onnx")) / 1e6 for s in STAGES}
        for stage, spec_mb in {"spixelnet": 9.1, "backbone": 130.1, "color_modeler": 1.4,
                               "color_generator": 1.5, "refiner": 30.4}.items():
            self.assertAlmostEqual(mb[stage], spec_mb, delta=0.1, msg=stage)

    def test_dump_index_and_files(self):
        with open(os.path.join(self.dump, "index.json")) as f:
            idx = json.load(f)
        self.assertEqual((idx["size"], idx["tokens"]), (64, 4))
        self.assertEqual(idx["stages"]["refiner"]["outputs"]["ab"]["shape"], [1, 2, 64, 64])
        self.assertEqual(idx["stages"]["color_modeler"]["outputs"]["logits"]["shape"], [1, 313, 4, 4])
        for stage in STAGES:
            for kind in ("inputs", "outputs"):
                for name, e in idx["stages"][stage][kind].items():
                    a = np.fromfile(os.path.join(self.dump, e["file"]), "<f4")
                    self.assertEqual(a.size, int(np.prod(e["shape"])), e["file"])
                    self.assertTrue(np.isfinite(a).all(), e["file"])
        # association is a softmax over 9 directions
        e = idx["stages"]["spixelnet"]["outputs"]["assoc"]
        a = np.fromfile(os.path.join(self.dump, e["file"]), "<f4").reshape(e["shape"])
        np.testing.assert_allclose(a.sum(1), 1.0, atol=1e-5)


class CliErrors(unittest.TestCase):
    def test_missing_file(self):
        r = run([CLI, "/nonexistent/disco.pth.tar", "--name", "x", "--out", "/tmp"])
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stderr.strip(), "import_checkpoint: checkpoint file not found: /nonexistent/disco.pth.tar")

    def test_not_a_disco_checkpoint_names_the_key(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "other.pth")
            torch.save({"state_dict": {"fc.weight": torch.zeros(2, 2)}, "epoch": 3}, path)
            r = run([CLI, path, "--name", "x", "--out", d])
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("missing key 'segnet.net.conv0a.0.weight'", r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1)
            garbage = os.path.join(d, "garbage.pth")
            with open(garbage, "wb") as f:
                f.write(b"not a torch file")
            r = run([CLI, garbage, "--name", "x", "--out", d])
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("cannot read", r.stderr)

    def test_torch_missing_message(self):
        # -S hides Debian's dist-packages, so torch cannot be imported
        r = run(["-S", CLI, "whatever.pth", "--name", "x"], python="/usr/bin/python3")
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stderr.strip(),
                         'PyTorch is not installed: run "sudo apt-get install python3-torch python3-onnx"')


class TrainedModelExport(unittest.TestCase):
    def test_dump_of_spectral_norm_model_matches_plain_forward(self):
        # a model still carrying spectral norm (as during training) is baked before dumping
        from tests.test_model import LITE
        torch.manual_seed(7)
        model = apply_spectral_norm(DiscoNet(LITE), power_iters=3).eval()
        with tempfile.TemporaryDirectory() as d:
            idx = dump_stage_io(model, d)
            e = idx["stages"]["backbone"]
            gray = np.fromfile(os.path.join(d, e["inputs"]["gray"]["file"]), "<f4").reshape(e["inputs"]["gray"]["shape"])
            out = np.fromfile(os.path.join(d, e["outputs"]["features"]["file"]), "<f4")
            with torch.no_grad():
                ref = model.backbone(torch.from_numpy(gray)).numpy().ravel()
            np.testing.assert_allclose(out, ref, atol=1e-5, rtol=1e-4)
            path = os.path.join(d, "lite.pth.tar")
            save_official(model, path, config=LITE)
            r = run([CLI, path, "--name", "lite", "--out", d])
            self.assertEqual(r.returncode, 0, r.stderr)


class CommittedModelSets(unittest.TestCase):
    """Every model set under models/ has a manifest whose hashes, sizes and graphs check out."""

    def test_manifests_match_files(self):
        models = os.path.join(TRAINING, "..", "models")
        sets = [d for d in sorted(os.listdir(models)) if os.path.isfile(os.path.join(models, d, "manifest.json"))] \
            if os.path.isdir(models) else []
        for name in sets:
            with open(os.path.join(models, name, "manifest.json")) as f:
                m = json.load(f)
            self.assertEqual(m["name"], name)
            self.assertEqual(list(m["stages"]), list(STAGES))
            for stage, s in m["stages"].items():
                path = os.path.join(models, name, s["file"])
                self.assertEqual(s["sha256"], sha256_file(path), f"{name}/{stage}")
                self.assertEqual(s["bytes"], os.path.getsize(path), f"{name}/{stage}")
                self.assertTrue(set(onnx_op_types(path)) <= ALLOWED_OPS, f"{name}/{stage}")


if __name__ == "__main__":
    unittest.main()
