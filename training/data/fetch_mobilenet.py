#!/usr/bin/python3
"""Fetch the MobileNetV2 that ships inside the npm package nsfwjs (MIT) and unpack it for PyTorch.

  /usr/bin/python3 training/data/fetch_mobilenet.py     # -> .cache/mobilenet_v2/{model.json,weights.bin}

nsfwjs bundles a Keras MobileNetV2 (ImageNet-initialised, fine-tuned for its 5-way classifier) as a
TensorFlow.js layers model whose files are wrapped in UMD JavaScript modules, weights base64-encoded and
quantised to uint8. `npm pack` takes the package from the npm registry (the only network source allowed
here); Node unwraps the modules; then the whole nsfwjs classifier, run through our PyTorch port, must call
examples/chelsea.png "neutral", or the script fails. Nothing of it is committed.
"""
import argparse
import os
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = "nsfwjs@4.4.0"
MODEL_DIR = "package/dist/models/mobilenet_v2"

# Node unwraps the two UMD modules: the topology + weight manifest, and the base64 weight shard.
UNWRAP = r"""
const fs = require('fs'), path = require('path');
const [dir, out] = process.argv.slice(1);
const load = (f) => { const tmp = path.join(out, f + '.cjs'); fs.copyFileSync(path.join(dir, f), tmp);
  try { return require(tmp); } finally { fs.unlinkSync(tmp); } };
const model = load('model.min.js');
const shard = load('group1-shard1of1.min.js');
if (typeof shard !== 'string') throw new Error('unexpected nsfwjs weight shard format');
fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(model));
fs.writeFileSync(path.join(out, 'weights.bin'), Buffer.from(shard, 'base64'));
"""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(ROOT, ".cache", "mobilenet_v2"))
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    if os.path.exists(os.path.join(args.out, "weights.bin")):
        print(f"already there: {args.out}")
        return 0
    subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", args.out, "--loglevel=error"], check=True,
                   stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(args.out) if f.startswith("nsfwjs-") and f.endswith(".tgz")][0]
    unpack = os.path.join(args.out, "pkg")
    with tarfile.open(os.path.join(args.out, tgz)) as tar:
        members = [m for m in tar.getmembers()
                   if m.name.startswith(MODEL_DIR) or m.name in ("package/LICENSE", "package/package.json")]
        tar.extractall(unpack, members)
    subprocess.run(["node", "-e", UNWRAP, os.path.join(unpack, MODEL_DIR), os.path.abspath(args.out)],
                   check=True)
    neutral = check_port(args.out)
    print(f"MobileNetV2 from {PACKAGE} (MIT) unpacked to {args.out}; the PyTorch port calls "
          f"examples/chelsea.png 'neutral' ({neutral:.2f})")
    return 0


def check_port(folder):
    """Run nsfwjs's whole classifier through our PyTorch port on the example photo: a wrong weight layout
    gives an arbitrary class, the right one a confident "neutral". Returns that probability."""
    sys.path.insert(0, os.path.join(ROOT, "training"))
    import numpy as np
    import torch
    from PIL import Image
    from disco.mobilenet import CLASSES, NsfwClassifier

    rgb = Image.open(os.path.join(ROOT, "examples", "chelsea.png")).convert("RGB").resize((224, 224), Image.BILINEAR)
    x = torch.from_numpy(np.asarray(rgb, dtype=np.float32) / 255).permute(2, 0, 1)[None]
    with torch.no_grad():
        probs = NsfwClassifier(folder).eval()(x)[0]
    if CLASSES[int(probs.argmax())] != "neutral" or probs[CLASSES.index("neutral")] < 0.5:
        raise SystemExit(f"MobileNetV2 port check failed: examples/chelsea.png classified as "
                         f"{dict(zip(CLASSES, probs.tolist()))}; the weights in {folder} do not load right")
    return float(probs[CLASSES.index("neutral")])


if __name__ == "__main__":
    sys.exit(main())
