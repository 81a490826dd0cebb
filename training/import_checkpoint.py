#!/usr/bin/python3
"""Convert a DISCO checkpoint (official `disco-beta.pth.tar` format) into a model set of five ONNX graphs.

  /usr/bin/python3 training/import_checkpoint.py disco-beta.pth.tar --name disco-official --out models/

writes models/<name>/{spixelnet,backbone,color_modeler,color_generator,refiner}.onnx + manifest.json.
--dump DIR also writes each stage's example inputs and PyTorch outputs (raw float32 + index.json).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

TORCH_MISSING = 'PyTorch is not installed: run "sudo apt-get install python3-torch python3-onnx"'


def main(argv=None):
    p = argparse.ArgumentParser(description="Export a DISCO checkpoint to an ONNX model set.")
    p.add_argument("checkpoint", help="official-format checkpoint (.pth.tar / .pth.rar / .pth)")
    p.add_argument("--name", required=True, help="model set name (folder under --out)")
    p.add_argument("--out", default="models", help="folder that holds model sets (default: models)")
    p.add_argument("--description", default="DISCO (Xia et al., SIGGRAPH Asia 2022) imported from a checkpoint")
    p.add_argument("--source", default=None, help="where the weights came from (default: the file name)")
    p.add_argument("--license", default="unknown: state the checkpoint's licence with --license")
    p.add_argument("--dump", default=None, help="also dump stage inputs/outputs at 64x64 to this folder")
    args = p.parse_args(argv)

    try:
        import torch  # noqa: F401
        import onnx  # noqa: F401
    except ImportError:
        print(TORCH_MISSING, file=sys.stderr)
        return 2
    if not args.name or os.sep in args.name or args.name in (".", ".."):
        print(f"import_checkpoint: bad model set name {args.name!r}", file=sys.stderr)
        return 2

    from disco.checkpoint import CheckpointError, load_checkpoint
    from disco.export import dump_stage_io, export_model_set

    try:
        model = load_checkpoint(args.checkpoint)
    except CheckpointError as e:
        print(f"import_checkpoint: {e}", file=sys.stderr)
        return 1
    source = args.source or f"imported from checkpoint file {os.path.basename(args.checkpoint)}"
    manifest = export_model_set(model, args.out, args.name, args.description, source, args.license)
    if args.dump:
        dump_stage_io(model, args.dump)
    total = sum(s["bytes"] for s in manifest["stages"].values())
    print(f"import_checkpoint: wrote {len(manifest['stages'])} stages ({total / 1e6:.1f} MB) and manifest.json "
          f"to {os.path.join(args.out, args.name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
