#!/usr/bin/python3
"""Train "disco-lite" on CPU and export it to models/disco-lite/ (one command, fixed seed, time-bounded).

  /usr/bin/python3 training/data/build_dataset.py          # once: photos into .cache/disco-data
  /usr/bin/python3 training/data/fetch_mobilenet.py        # once: nsfwjs's MobileNetV2 into .cache
  /usr/bin/python3 training/train_default.py [--minutes 105] [--backbone mobilenet|scratch]

Recipe (DISCO's, scaled to a CPU): phase 1 trains SpixelNet alone with a SpixelFCN-style
reconstruction loss (Lab colour + position through SP-pooling then SP-diffusion); phase 2 freezes it and
trains the backbone (a frozen MobileNetV2 from nsfwjs with a trained head, or the official layout from
scratch), colour modeler, colour generator and refiner jointly on random crops:
  - modeler: cross-entropy of its 313-bin logits against soft-encoded ground-truth token colours, with
    class rebalancing (lambda 0.5, prior from the training pixels);
  - generator: anchors from k-means on the ground-truth token colours (K random in 1..8, the member
    with the largest superpixel), their ground-truth bins as the one-hot hint; its aux head gets plain
    (not rebalanced) cross-entropy on all tokens, which follows given anchors more faithfully;
  - refiner: L1 on ab/110, plus (with the MobileNetV2 backbone) a perceptual loss: L1 between the frozen
    MobileNetV2's early features of the predicted and the true RGB (disco/perceptual.py).
Phase 3 is a short fine-tune (220 steps) from phase 2's weight average on 256-px crops of the whole short
side (the scale and 16x16 token grid of inference), with class rebalancing on the generator's aux head
too: phase 2 alone leaves the automatic results dull, phase 3 makes them vivid and keeps the anchor
fidelity (numbers in models/README.md). Each phase's exported weights are an exponential moving
average of its live weights (--ema), which evens out the step-to-step noise of a small batch.
Spectral norm is on the same 23 convs as in the official model. Phases 1 and 2 stop on wall time
(--minutes; --spixel-steps and --colour-steps give fixed step counts instead, for the same run on any
machine); phase 3 after --tune-steps (its colour is sensitive to the step count, so it is fixed).
--init-from runs phase 3 alone from a checkpoint that phase 2 saved. Then the model is evaluated on the held-out set and exported with the standard exporter.
"""
import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LITE = dict(spixel=[8, 16, 32, 48, 64], backbone=[16, 32, 64, 96], backbone_mid_blocks=1,
            refiner=[16, 32, 64], refiner_res_blocks=2, encoder_layers=2, ffn=128)
W_CE, W_AUX, W_L1 = 1.0, 0.5, 10.0
SPIXEL_POS_WEIGHT = 0.1
TUNE_STEPS, TUNE_CROP, TUNE_CROP_MIN_SIDE, TUNE_BATCH, TUNE_LR, TUNE_WARMUP = 220, 256, 1.0, 2, 5e-5, 50


def init_colour_code(model, generator):
    """Start the generator's hint embedding from a fixed linear code of each bin's (a, b) colour.

    trg_word_emb maps [token, one-hot bin, mask] to the generator's input. With the default init each bin
    has its own small random column, so an anchor's colour is a faint, unstructured signal that the
    generator learnt to ignore in every CPU-sized run. Here column b is P (a_b, b_b)/110 with a random
    64x2 P (and the mask column is as large): similar colours start with similar codes, strong enough to
    be read and propagated from step 0. Only the starting point changes; the columns are trained as usual."""
    import torch
    from disco import ops
    from disco.model import D_MODEL, N_BINS
    proj = torch.randn(D_MODEL, 2, generator=generator)
    with torch.no_grad():
        w = model.trg_word_emb.weight  # [64, 64 + 313 + 1]: tokens, one-hot bins, mask
        w[:, D_MODEL:D_MODEL + N_BINS] = proj @ (ops.BINS.float().t() / 110)
        w[:, D_MODEL + N_BINS] = torch.randn(D_MODEL, generator=generator) * 0.5


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=105.0, help="wall-time budget of phases 1 and 2")
    p.add_argument("--spixel-fraction", type=float, default=0.05, help="share of the budget for SpixelNet")
    p.add_argument("--spixel-steps", type=int, default=0,
                   help="stop phase 1 after this many steps instead of on wall time (machine-independent re-runs)")
    p.add_argument("--colour-steps", type=int, default=0,
                   help="stop phase 2 after this many steps instead of on wall time (machine-independent re-runs)")
    p.add_argument("--crop", type=int, default=128, help="training crop size (multiple of 16)")
    p.add_argument("--crop-min-side", type=float, default=0.5,
                   help="smallest crop side as a fraction of the photo's short side (the largest is 1)")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--backbone", choices=["mobilenet", "scratch"], default="mobilenet",
                   help="mobilenet: frozen MobileNetV2 from nsfwjs (training/data/fetch_mobilenet.py) + a "
                        "trained head; scratch: the official ColorProbNet layout at small widths")
    p.add_argument("--mobilenet", default=os.path.join(ROOT, ".cache", "mobilenet_v2"),
                   help="folder made by training/data/fetch_mobilenet.py")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads (default: all cores)")
    p.add_argument("--warmup", type=int, default=200, help="linear learning-rate warm-up steps")
    p.add_argument("--eval-limit", type=int, default=0, help="evaluate on the first N eval photos only (smoke runs)")
    p.add_argument("--lr", type=float, default=5e-4)
    p.add_argument("--ema", type=float, default=0.999, help="decay of the weight average that is evaluated and exported")
    p.add_argument("--perceptual", type=float, default=0.2,
                   help="weight of the MobileNetV2 perceptual loss on the refiner's output (0: off; needs "
                        "--backbone mobilenet)")
    p.add_argument("--tune-steps", type=int, default=TUNE_STEPS, help="phase 3 length in steps (0: no phase 3)")
    p.add_argument("--tune-crop", type=int, default=TUNE_CROP, help="phase 3 crop size (multiple of 16)")
    p.add_argument("--tune-crop-min-side", type=float, default=TUNE_CROP_MIN_SIDE,
                   help="phase 3: smallest crop side as a fraction of the photo's short side")
    p.add_argument("--tune-batch", type=int, default=TUNE_BATCH)
    p.add_argument("--tune-lr", type=float, default=TUNE_LR)
    p.add_argument("--init-from", default="",
                   help="start from this checkpoint (the one this script saves after phase 2) and run phase 3 only")
    p.add_argument("--no-colour-code-init", dest="colour_code_init", action="store_false",
                   help="keep the default random init of the generator's hint embedding (see init_colour_code)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=os.path.join(ROOT, ".cache", "disco-data"))
    p.add_argument("--work", default=os.path.join(ROOT, ".cache", "disco-lite"), help="log + checkpoint folder")
    p.add_argument("--out", default=os.path.join(ROOT, "models"))
    p.add_argument("--name", default="disco-lite")
    args = p.parse_args(argv)
    if args.init_from and not args.tune_steps:
        p.error("--init-from runs phase 3 alone: it needs --tune-steps above 0")

    try:
        import torch
    except ImportError:
        print('PyTorch is not installed: run "sudo apt-get install python3-torch python3-onnx"', file=sys.stderr)
        return 2
    from disco import ops
    from disco.checkpoint import apply_spectral_norm, read_checkpoint, save_official
    from disco.data import CropSampler, class_prior, list_images, load_rgb
    from disco.ema import WeightAverage
    from disco.evaluate import evaluate_folder
    from disco.perceptual import perceptual_loss
    from disco.export import export_model_set
    from disco.model import DiscoNet, make_config, position_encoding

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    os.makedirs(args.work, exist_ok=True)
    log_path = os.path.join(args.work, "train.log")
    log = open(log_path, "w")

    def say(msg):
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    train_files = list_images(os.path.join(args.data, "train"))
    images = [load_rgb(f) for f in train_files]
    prior = class_prior(images)
    weights = ops.rebalance_weights(prior)
    say(f"{len(images)} training photos; threads {torch.get_num_threads()}; config {json.dumps(LITE)}")

    if args.backbone == "mobilenet":
        from disco.mobilenet import load_keras_mobilenet
        if not os.path.exists(os.path.join(args.mobilenet, "weights.bin")):
            print(f"no MobileNetV2 weights in {args.mobilenet}: run /usr/bin/python3 "
                  "training/data/fetch_mobilenet.py (or pass --backbone scratch)", file=sys.stderr)
            return 2
    config = make_config(**LITE, backbone_kind="mobilenet_v2" if args.backbone == "mobilenet" else "colorprobnet")
    model = DiscoNet(config)
    if args.backbone == "mobilenet":
        load_keras_mobilenet(model.repnet.body, args.mobilenet)
    if args.colour_code_init:
        init_colour_code(model, torch.Generator().manual_seed(args.seed))
    model = apply_spectral_norm(model)
    if args.init_from:
        model.load_state_dict(read_checkpoint(args.init_from)[0], strict=True)
        say(f"weights from {args.init_from}; phases 1 and 2 skipped")
    n_params = sum(p.numel() for p in model.parameters())
    say(f"disco-lite: {n_params} parameters")
    g = torch.Generator().manual_seed(args.seed)
    sampler = CropSampler(images, args.crop, g, args.crop_min_side)
    budget = args.minutes * 60
    t0 = time.time()

    # ---------------- phase 1: SpixelNet, SpixelFCN-style reconstruction of Lab colour and position
    spx = model.segnet
    opt = torch.optim.Adam(spx.parameters(), lr=1e-3)
    H = args.crop
    yy, xx = torch.meshgrid(torch.arange(H, dtype=torch.float32), torch.arange(H, dtype=torch.float32), indexing="ij")
    xy = torch.stack([yy, xx])[None] / 16.0  # position in cell units
    step = 0
    spx_end = budget * args.spixel_fraction
    spx.train()
    while not args.init_from and ((step < args.spixel_steps) if args.spixel_steps else (time.time() - t0 < spx_end)):
        gray, ab = sampler.sample(args.batch)
        feat = torch.cat([gray, ab, xy.expand(gray.shape[0], -1, -1, -1)], 1)
        assoc = spx(gray)
        tok, _ = ops.sp_pool(feat, assoc)
        rec = ops.sp_diffuse(tok, assoc)
        loss_col = (rec[:, :3] - feat[:, :3]).norm(dim=1).mean()
        loss_pos = (rec[:, 3:] - feat[:, 3:]).norm(dim=1).mean()
        loss = loss_col + SPIXEL_POS_WEIGHT * loss_pos
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 25 == 0:
            say(f"spixel step {step} loss {loss.item():.4f} colour {loss_col.item():.4f} pos {loss_pos.item():.4f} "
                f"t {time.time() - t0:.0f}s")
    spixel_steps = step
    say(f"spixel phase done: {spixel_steps} steps")
    spx.eval()
    for prm in spx.parameters():
        prm.requires_grad_(False)

    # ---------------- phases 2 and 3: backbone + modeler + generator + refiner
    colour_params = [p for n, p in model.named_parameters() if not n.startswith("segnet.") and p.requires_grad]
    ckpt_path = os.path.join(args.work, "checkpoint.pth.tar")
    perceptual_net = model.repnet.body if args.perceptual and args.backbone == "mobilenet" else None
    model.repnet.train(), model.enhanceNet.train(), model.wildpath.train(), model.hintpath.train()

    def rebalanced_ce(logits, target_soft):
        logp = torch.log_softmax(logits, 1)
        w = weights[target_soft.argmax(1)]  # (N,h,w)
        return -(w * (target_soft * logp).sum(1)).mean()

    def plain_ce(logits, target_soft):
        return -(target_soft * torch.log_softmax(logits, 1)).sum(1).mean()

    def train_colour(name, crop, min_side, batch, lr, warmup, aux_ce, steps, seconds):
        """Joint training of the colour stages for `steps` steps (or `seconds` of wall time if steps is 0);
        returns (weight average, steps done, last loss)."""
        opt = torch.optim.Adam(colour_params, lr=lr, betas=(0.9, 0.99))
        crops = CropSampler(images, crop, g, min_side)
        h = crop // 16
        pos = position_encoding(h, h).expand(batch, -1, -1, -1)
        ema = WeightAverage(model, args.ema)
        step, start, last_ckpt = 0, time.time(), time.time()

        def fraction():
            return step / steps if steps else (time.time() - start) / seconds

        while fraction() < 1:
            # linear warm-up, then cosine decay over the rest of the budget (post-norm attention spikes without it)
            warm = min(1.0, (step + 1) / warmup)
            for group in opt.param_groups:
                group["lr"] = lr * warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * fraction())))
            gray, ab = crops.sample(batch)
            with torch.no_grad():
                assoc = spx(gray)
                sizes = ops.sp_sizes(assoc)
                p_ab, _ = ops.sp_pool(ab, assoc)
                target = ops.soft_encode(p_ab * 110)
                labels = target.argmax(1)
                masks = []
                for i in range(batch):
                    k = 1 + int(torch.randint(min(8, h * h), (1,), generator=g))  # at most one per token
                    x = p_ab[i].reshape(2, -1).t()
                    lab = ops.kmeans(x, k, g)
                    masks.append(ops.pick_anchors(lab, sizes[i].reshape(-1), k).reshape(1, h, h))
                mask = torch.stack(masks)
                onehot = ops.onehot_bins(labels, mask)
            tokens, _ = ops.sp_pool(model.backbone(gray), assoc)
            _, logits = model.color_modeler(tokens, pos)
            gen, aux = model.color_generator(tokens, pos, mask, onehot)
            pred = model.refiner(gray, ops.sp_diffuse(gen, assoc))
            loss_ce = rebalanced_ce(logits, target)
            loss_aux = aux_ce(aux, target)
            loss_l1 = (pred - ab).abs().mean()
            loss_perc = perceptual_loss(perceptual_net, pred, ab, gray) if perceptual_net is not None else torch.zeros(())
            loss = W_CE * loss_ce + W_AUX * loss_aux + W_L1 * loss_l1 + args.perceptual * loss_perc
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(colour_params, 1.0)
            opt.step()
            step += 1
            ema.update(model)
            if step % 25 == 0:
                say(f"{name} step {step} loss {loss.item():.4f} ce {loss_ce.item():.4f} aux {loss_aux.item():.4f} "
                    f"l1 {loss_l1.item():.4f} perc {loss_perc.item():.4f} lr {opt.param_groups[0]['lr']:.2e} "
                    f"t {time.time() - t0:.0f}s")
            if time.time() - last_ckpt > 300:
                save_official(ema.model, ckpt_path, epoch=step, best_loss=loss.item(), config=config)
                last_ckpt = time.time()
        return ema, step, loss.item()

    colour_steps = 0
    if not args.init_from:
        ema, colour_steps, last_loss = train_colour(
            "colour", args.crop, args.crop_min_side, args.batch, args.lr, args.warmup, plain_ce,
            args.colour_steps, budget - (time.time() - t0))
        save_official(ema.model, ckpt_path, epoch=colour_steps, best_loss=last_loss, config=config)
        say(f"colour phase done: {colour_steps} steps; weight average saved to {ckpt_path}")
        model.load_state_dict(ema.model.state_dict())  # phase 3 starts from the average
    tune_steps = 0
    if args.tune_steps:
        ema, tune_steps, last_loss = train_colour(
            "tune", args.tune_crop, args.tune_crop_min_side, args.tune_batch, args.tune_lr, TUNE_WARMUP, rebalanced_ce,
            args.tune_steps, 0)
    train_seconds = time.time() - t0
    model = ema.model.eval()
    save_official(model, ckpt_path, epoch=colour_steps + tune_steps, best_loss=last_loss, config=config)
    say(f"training done: spixel {spixel_steps} steps, colour {colour_steps} steps, tune {tune_steps} steps, "
        f"{train_seconds / 60:.1f} min; checkpoint {ckpt_path}")

    # ---------------- evaluation on the held-out set, then export
    quality = evaluate_folder(model, os.path.join(args.data, "eval"), limit=args.eval_limit or None)
    quality["trainingSeconds"] = round(train_seconds)
    say("quality " + json.dumps(quality))
    n_train = len(images)
    mobilenet = args.backbone == "mobilenet"
    backbone_text = ("Backbone: MobileNetV2 from the npm package nsfwjs@4.4.0 (MIT; ImageNet-initialised, fine-tuned "
                     "by nsfwjs as a classifier), frozen, up to block_12, plus a trained 2-scale head. "
                     if mobilenet else "Backbone: the official ColorProbNet layout at small widths. ")
    losses = (f"rebalanced 313-bin cross-entropy for the modeler, anchors from k-means on ground-truth token "
              f"colours, L1 on ab" + (f", MobileNetV2 perceptual loss x{args.perceptual:g}" if perceptual_net is not None else "")
              + f"; weights averaged with EMA decay {args.ema:g}, gradient clipping at 1")
    phase3 = (f"phase 3: {tune_steps} steps on {args.tune_crop}x{args.tune_crop} crops ({args.tune_crop_min_side:g}-1 of "
              f"the short side), batch "
              f"{args.tune_batch}, with class-rebalanced cross-entropy on the generator's aux head too (Adam lr "
              f"{args.tune_lr:g}, {TUNE_WARMUP}-step warm-up, cosine decay)" if tune_steps else "no phase 3")
    if args.init_from:
        history = f"phases 1 and 2 come from {args.init_from}, made by the same script"
    else:
        history = (f"SpixelNet: {spixel_steps} steps of SpixelFCN-style Lab+position reconstruction loss; then "
                   f"backbone/modeler/generator/refiner jointly for {colour_steps} steps on random "
                   f"{args.crop}x{args.crop} crops, batch {args.batch}, plain cross-entropy on the generator's aux "
                   f"head (Adam lr {args.lr:g}, {args.warmup}-step warm-up, cosine decay)")
    source = (f"Trained on CPU by training/train_default.py --backbone {args.backbone} (seed {args.seed}, torch "
              f"{torch.__version__}, {torch.get_num_threads()} CPU threads, {train_seconds / 60:.1f} min wall "
              f"time): {n_train} photos from the Debian packages gcompris-qt-data, lomiri-wallpapers-16.04, "
              f"mate-backgrounds, plasma-workspace-wallpapers, lomiri-wallpapers-20.04 "
              f"(training/data/build_dataset.py). {backbone_text}{history}; {phase3}. Throughout: {losses}. "
              f"Widths: {json.dumps(LITE)}.")
    licence = ("Weights: trained on photos under public-domain/CC0-1.0/CC-BY/CC-BY-SA/GPL-2+/GPL-3(+)/LGPL-3 "
               "terms (per-file list in .cache/disco-data/licenses.tsv, made by training/data/build_dataset.py); "
               "whether these terms reach the trained weights is unsettled, so treat them as derived from "
               "GPL-3 and CC-BY-SA-4.0 material. "
               + ("The frozen backbone weights are nsfwjs's (MIT, Copyright (c) 2019 Infinite Red, Inc.). "
                  if mobilenet else "")
               + "Code: MIT.")
    manifest = export_model_set(model, args.out, args.name,
                                "DISCO-lite: the DISCO pipeline with small internal widths"
                                + (" and a frozen MobileNetV2 backbone" if mobilenet else "")
                                + ", trained on CPU on ~300 photos; a working stand-in for the official "
                                "weights, far less accurate.", source, licence, quality)
    total = sum(s["bytes"] for s in manifest["stages"].values())
    say(f"exported {args.name} ({total / 1e6:.2f} MB) to {os.path.join(args.out, args.name)}")
    log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
