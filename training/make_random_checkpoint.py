#!/usr/bin/python3
"""Write a randomly initialised DISCO checkpoint in the official file format (for export tests).

  /usr/bin/python3 training/make_random_checkpoint.py /tmp/random.pth.tar [--seed 0]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def calibrate_batchnorm(model):
    """Set BatchNorm running statistics from one random batch (train-mode forward, cumulative
    average), so activations of the random network stay near unit scale like a trained one's."""
    import torch
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    g = torch.Generator().manual_seed(1)
    gray = torch.rand(2, 1, 64, 64, generator=g) * 2 - 1
    with torch.no_grad():
        model.spixel(gray)
        feats = model.backbone(gray)
        model.refiner(gray, feats)
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.momentum = 0.1
    model.eval()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    try:
        import torch
    except ImportError:
        print('PyTorch is not installed: run "sudo apt-get install python3-torch python3-onnx"', file=sys.stderr)
        return 2
    from disco.checkpoint import apply_spectral_norm, save_official
    from disco.model import DiscoNet

    torch.manual_seed(args.seed)
    model = apply_spectral_norm(DiscoNet(), power_iters=30)
    calibrate_batchnorm(model)
    save_official(model, args.out)
    print(f"make_random_checkpoint: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
