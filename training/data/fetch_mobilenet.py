#!/usr/bin/python3
"""Fetch the MobileNetV2 that ships inside the npm package nsfwjs (MIT) and unpack it for PyTorch.

  /usr/bin/python3 training/data/fetch_mobilenet.py     # -> .cache/mobilenet_v2/{model.json,weights.bin}

nsfwjs bundles a Keras MobileNetV2 (ImageNet-initialised, fine-tuned for its 5-way classifier) as a
TensorFlow.js layers model whose files are wrapped in UMD JavaScript modules, weights base64-encoded and
quantised to uint8. `npm pack` takes the package from the npm registry (the only network source allowed
here); Node unwraps the modules. Nothing of it is committed.
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
    print(f"MobileNetV2 from {PACKAGE} (MIT) unpacked to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
