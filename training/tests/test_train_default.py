"""train_default.py end to end on a few synthetic photos: all three phases, the weight average, the
held-out evaluation and the export, in a few steps (the scratch backbone, so no download); then phase 3
alone from the checkpoint that run saved (--init-from).

Run: cd training && /usr/bin/python3 -m unittest tests.test_train_default -v
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAIN = os.path.join(TRAINING, "train_default.py")


def write_photos(folder, n, rng):
    os.makedirs(folder)
    for i in range(n):
        # smooth colour gradients with a bright square: some structure for SpixelNet and k-means
        y, x = np.mgrid[0:160, 0:200] / 200.0
        rgb = np.stack([x, y, 1 - x * y], -1) * rng.uniform(0.4, 1.0, 3)
        rgb[40:90, 60:120] = rng.uniform(0, 1, 3)
        Image.fromarray((rgb * 255).astype(np.uint8)).save(os.path.join(folder, f"{i}.png"))


class TrainDefaultSmoke(unittest.TestCase):
    def train(self, tmp, name, *args):
        """Run train_default.py on tmp/data, writing to tmp/work-<name> and tmp/models/<name>; -> (stdout, manifest)."""
        r = subprocess.run([sys.executable, TRAIN, "--backbone", "scratch", "--threads", "2", "--eval-limit", "1",
                            "--data", os.path.join(tmp, "data"), "--work", os.path.join(tmp, f"work-{name}"),
                            "--out", os.path.join(tmp, "models"), "--name", name, *args],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(os.path.join(tmp, "models", name, "manifest.json")) as f:
            return r.stdout, json.load(f)

    def test_short_run_trains_evaluates_and_exports(self):
        with tempfile.TemporaryDirectory() as tmp:
            rng = np.random.default_rng(0)
            write_photos(os.path.join(tmp, "data", "train"), 3, rng)
            write_photos(os.path.join(tmp, "data", "eval"), 1, rng)
            out, manifest = self.train(tmp, "smoke", "--spixel-steps", "2", "--colour-steps", "4", "--warmup", "2",
                                       "--crop", "64", "--batch", "2", "--tune-steps", "3", "--tune-crop", "32")
            self.assertIn("training done: spixel 2 steps, colour 4 steps, tune 3 steps", out)
            self.assertIn("jointly for 4 steps", manifest["source"])
            self.assertIn("averaged with EMA decay 0.999", manifest["source"])
            self.assertEqual(manifest["quality"]["images"], 1)
            ckpt = os.path.join(tmp, "work-smoke", "checkpoint.pth.tar")
            self.assertTrue(os.path.exists(ckpt))

            out, manifest = self.train(tmp, "smoke-tuned", "--init-from", ckpt, "--tune-steps", "2", "--tune-crop", "32")
            self.assertIn("training done: spixel 0 steps, colour 0 steps, tune 2 steps", out)
            self.assertIn(f"from {ckpt}", manifest["source"])


if __name__ == "__main__":
    unittest.main()
