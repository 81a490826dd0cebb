"""Clean-room PyTorch definition of DISCO's learned networks, written from docs/disco-method.md (§4, §5, §8, §11).

Parameter names follow the official checkpoint (state_dict.tsv) so `load_state_dict(strict=True)` works
after spectral norm has been baked (see checkpoint.py). Spectral-norm convs are plain convs here; the
list of their names is `DiscoNet.spectral_norm_convs()`.

Internal widths come from a config dict so a small model ("disco-lite") keeps the same stage
interfaces: 64-d tokens, 313 bins, gray in, 9-way association, 64-channel features, ab out.
"""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N_BINS = 313
D_MODEL = 64  # token width: a stage interface, not configurable
CELL = 16

OFFICIAL_CONFIG = {
    "spixel": [16, 32, 64, 128, 256],  # SpixelNet widths at H, H/2, ..., H/16
    "backbone": [64, 128, 256, 512],  # ColorProbNet widths conv1_2, conv2_3, conv3_3, conv4_3..conv7_3
    "backbone_mid_blocks": 3,  # conv5_3, conv6_3, conv7_3
    "refiner": [64, 128, 256],  # HourGlass2 widths f1, f2, f3
    "refiner_res_blocks": 3,
    "encoder_layers": 6,
    "heads": 8,
    "ffn": 256,
    "backbone_kind": "colorprobnet",  # or "mobilenet_v2": frozen nsfwjs MobileNetV2 + head (mobilenet.py)
}


def make_config(**overrides):
    cfg = copy.deepcopy(OFFICIAL_CONFIG)
    for k, v in overrides.items():
        if k not in cfg:
            raise KeyError(f"unknown DISCO config key {k!r}")
        cfg[k] = v
    return cfg


# ---------------------------------------------------------------- SpixelNet (docs/disco-method.md §4)

def _spx_conv(i, o, stride=1):
    return nn.Sequential(
        nn.Conv2d(i, o, 3, stride, 1, bias=False), nn.BatchNorm2d(o), nn.LeakyReLU(0.1))


def _spx_up(i, o):
    return nn.Sequential(nn.ConvTranspose2d(i, o, 4, 2, 1, bias=True), nn.LeakyReLU(0.1))


class SpixelNet(nn.Module):
    def __init__(self, widths):
        super().__init__()
        c0, c1, c2, c3, c4 = widths
        self.conv0a, self.conv0b = _spx_conv(1, c0), _spx_conv(c0, c0)
        self.conv1a, self.conv1b = _spx_conv(c0, c1, 2), _spx_conv(c1, c1)
        self.conv2a, self.conv2b = _spx_conv(c1, c2, 2), _spx_conv(c2, c2)
        self.conv3a, self.conv3b = _spx_conv(c2, c3, 2), _spx_conv(c3, c3)
        self.conv4a, self.conv4b = _spx_conv(c3, c4, 2), _spx_conv(c4, c4)
        self.deconv3, self.conv3_1 = _spx_up(c4, c3), _spx_conv(2 * c3, c3)
        self.deconv2, self.conv2_1 = _spx_up(c3, c2), _spx_conv(2 * c2, c2)
        self.deconv1, self.conv1_1 = _spx_up(c2, c1), _spx_conv(2 * c1, c1)
        self.deconv0, self.conv0_1 = _spx_up(c1, c0), _spx_conv(2 * c0, c0)
        self.pred_mask0 = nn.Conv2d(c0, 9, 3, 1, 1, bias=True)

    def forward(self, gray):
        e0 = self.conv0b(self.conv0a(gray))
        e1 = self.conv1b(self.conv1a(e0))
        e2 = self.conv2b(self.conv2a(e1))
        e3 = self.conv3b(self.conv3a(e2))
        e4 = self.conv4b(self.conv4a(e3))
        d3 = self.conv3_1(torch.cat([e3, self.deconv3(e4)], 1))
        d2 = self.conv2_1(torch.cat([e2, self.deconv2(d3)], 1))
        d1 = self.conv1_1(torch.cat([e1, self.deconv1(d2)], 1))
        d0 = self.conv0_1(torch.cat([e0, self.deconv0(d1)], 1))
        return torch.softmax(self.pred_mask0(d0), dim=1)


class _SegWrapper(nn.Module):
    """Holds SpixelNet under `.net` so keys read `segnet.net.*` as in the checkpoint."""

    def __init__(self, widths):
        super().__init__()
        self.net = SpixelNet(widths)

    def forward(self, gray):
        return self.net(gray)


# ---------------------------------------------------------------- Backbone ColorProbNet (docs/disco-method.md §5)

def _conv(i, o, stride=1):
    return nn.Conv2d(i, o, 3, stride, 1, bias=True)


def _lrelu():
    return nn.LeakyReLU(0.2)


def _sn_block3(i, o, stride):
    # sn(i->o, stride), LReLU, sn(o->o), LReLU, sn(o->o), LReLU, BN  -> indices 0, 2, 4 are (sn) convs
    return nn.Sequential(_conv(i, o, stride), _lrelu(), _conv(o, o), _lrelu(), _conv(o, o), _lrelu(),
                         nn.BatchNorm2d(o))


class ColorProbNet(nn.Module):
    def __init__(self, widths, mid_blocks=3, out_ch=D_MODEL):
        super().__init__()
        c1, c2, c3, c4 = widths
        self.mid_blocks = mid_blocks
        self.conv1_2 = nn.Sequential(_conv(1, c1), _lrelu(), _conv(c1, c1), _lrelu(), nn.BatchNorm2d(c1))
        self.conv2_3 = _sn_block3(c1, c2, 2)
        self.conv3_3 = _sn_block3(c2, c3, 2)
        self.conv4_3 = _sn_block3(c3, c4, 2)
        for k in range(mid_blocks):
            setattr(self, f"conv{5 + k}_3", _sn_block3(c4, c4, 1))
        self.conv8up = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), _conv(c4, c3))
        self.conv3short8 = nn.Sequential(_conv(c3, c3))
        self.conv8_3 = nn.Sequential(nn.ReLU(), _conv(c3, c3), nn.ReLU(), _conv(c3, c3), nn.ReLU(),
                                     nn.BatchNorm2d(c3))
        self.conv9up = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), _conv(c3, c2))
        self.conv9_2 = nn.Sequential(_conv(c2, c2), nn.ReLU(), nn.BatchNorm2d(c2))
        self.conv10up = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), _conv(c2, out_ch))
        self.conv10_2 = nn.Sequential(nn.ReLU(), _conv(out_ch, out_ch), nn.ReLU())

    def spectral_norm_convs(self):
        names = ["conv1_2.0", "conv1_2.2"]
        for blk in ["conv2_3", "conv3_3", "conv4_3"] + [f"conv{5 + k}_3" for k in range(self.mid_blocks)]:
            names += [f"{blk}.0", f"{blk}.2", f"{blk}.4"]
        return names

    def forward(self, gray):
        f1 = self.conv1_2(gray)
        f2 = self.conv2_3(f1)
        f3 = self.conv3_3(f2)
        x = self.conv4_3(f3)
        for k in range(self.mid_blocks):
            x = getattr(self, f"conv{5 + k}_3")(x)
        x = self.conv8_3(self.conv8up(x) + self.conv3short8(f3))
        x = self.conv9_2(self.conv9up(x))
        return self.conv10_2(self.conv10up(x))


# ---------------------------------------------------------------- Refiner HourGlass2 (docs/disco-method.md §11)

class _InConv(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.inConv = nn.Sequential(_conv(i, o), nn.ReLU())
        self.conv = nn.Sequential(_conv(o, o), nn.ReLU(), nn.BatchNorm2d(o))

    def forward(self, x):
        return self.conv(self.inConv(x))


class _Down(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.conv = nn.Sequential(_conv(i, o, 2), nn.ReLU(), _conv(o, o), nn.ReLU(), nn.BatchNorm2d(o))

    def forward(self, x):
        return self.conv(x)


class _Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        # 0 conv, 1 sn-conv, 2 ReLU, 3 conv
        self.conv = nn.Sequential(_conv(c, c), _conv(c, c), nn.ReLU(), _conv(c, c))

    def forward(self, x):
        return F.relu(x + self.conv(x))


class _Up(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.conv1 = _conv(i, o)
        self.combine = _conv(2 * o, o)
        self.conv2 = nn.Sequential(_conv(o, o), nn.ReLU(), _conv(o, o), nn.ReLU(), nn.BatchNorm2d(o))

    def forward(self, x, skip):
        x = F.interpolate(self.conv1(x), scale_factor=2, mode="nearest")
        x = F.relu(self.combine(torch.cat([x, skip], 1)))
        return self.conv2(x)


class HourGlass2(nn.Module):
    def __init__(self, widths, res_blocks=3, in_ch=1 + D_MODEL, out_ch=2):
        super().__init__()
        c1, c2, c3 = widths
        self.inConv = _InConv(in_ch, c1)
        self.down1 = _Down(c1, c2)
        self.down2 = _Down(c2, c3)
        self.residual = nn.Sequential(*[_Residual(c3) for _ in range(res_blocks)])
        self.up2 = _Up(c3, c2)
        self.up1 = _Up(c2, c1)
        self.outConv = _conv(c1, out_ch)

    def spectral_norm_convs(self):
        return [f"residual.{k}.conv.1" for k in range(len(self.residual))]

    def forward(self, x):
        f1 = self.inConv(x)
        f2 = self.down1(f1)
        f3 = self.down2(f2)
        y = self.residual(f3)
        y = self.up1(self.up2(y, f2), f1)
        return self.outConv(y)


# ---------------------------------------------------------------- Transformer encoders (docs/disco-method.md §8)

class _SelfAttention(nn.Module):
    """Multi-head attention with PyTorch's packed parameter names (in_proj_weight = [Wq; Wk; Wv])."""

    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = d // heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d, d))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d))
        self.out_proj = nn.Linear(d, d)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, qk, v):
        # batch-first sequences (N, L, d); identical per token to the reference's (L, N, d) layout
        n, L = v.shape[0], v.shape[1]
        hd, d = self.head_dim, self.heads * self.head_dim
        w_q, w_k, w_v = self.in_proj_weight.chunk(3, 0)
        b_q, b_k, b_v = self.in_proj_bias.chunk(3, 0)
        q = F.linear(qk, w_q, b_q) * (1.0 / math.sqrt(hd))
        k = F.linear(qk, w_k, b_k)
        val = F.linear(v, w_v, b_v)
        q = q.reshape(n, L, self.heads, hd).transpose(1, 2)  # (N, heads, L, hd)
        k = k.reshape(n, L, self.heads, hd).permute(0, 2, 3, 1)  # (N, heads, hd, L)
        val = val.reshape(n, L, self.heads, hd).transpose(1, 2)
        att = torch.softmax(torch.matmul(q, k), dim=-1)
        out = torch.matmul(att, val).transpose(1, 2).reshape(n, L, d)
        return self.out_proj(out)


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, ffn, dropout=0.1):
        super().__init__()
        self.self_attn = _SelfAttention(d, heads)
        self.linear1 = nn.Linear(d, ffn)
        self.linear2 = nn.Linear(ffn, d)
        self.norm1 = nn.LayerNorm(d, eps=1e-5)
        self.norm2 = nn.LayerNorm(d, eps=1e-5)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, pos):
        x = self.norm1(x + self.dropout(self.self_attn(x + pos, x)))
        return self.norm2(x + self.dropout(self.linear2(self.dropout(F.relu(self.linear1(x))))))


class Encoder(nn.Module):
    def __init__(self, layers, d, heads, ffn):
        super().__init__()
        self.layers = nn.ModuleList([EncoderLayer(d, heads, ffn) for _ in range(layers)])

    def forward(self, x, pos):
        for layer in self.layers:
            x = layer(x, pos)
        return x


def grid_to_seq(t):
    """[N, C, h, w] -> [N, h*w, C], row-major tokens."""
    return t.flatten(2).transpose(1, 2)


def seq_to_grid(s, like, channels):
    """[N, L, C] -> [N, C, h, w] with h, w taken from `like` ([N, *, h, w]); C is a constant so the
    exported graph keeps a static channel dimension."""
    return s.transpose(1, 2).reshape(like.shape[0], channels, like.shape[2], like.shape[3])


def position_encoding(h, w, d=D_MODEL):
    """docs/disco-method.md §7: (1, 64, h, w); channels 0..31 from the row, 32..63 from the column."""
    half = d // 2
    ey = torch.arange(1, h + 1, dtype=torch.float32) / (h + 1e-6) * 2 * math.pi
    ex = torch.arange(1, w + 1, dtype=torch.float32) / (w + 1e-6) * 2 * math.pi
    i = torch.arange(half, dtype=torch.float32)
    dim = torch.pow(torch.tensor(10000.0), 2 * torch.div(i, 2, rounding_mode="floor") / half)
    py, px = ey[:, None] / dim, ex[:, None] / dim  # (h, 32), (w, 32)
    even = (torch.arange(half) % 2 == 0)
    py = torch.where(even, py.sin(), py.cos())
    px = torch.where(even, px.sin(), px.cos())
    pe = torch.cat([py[:, None, :].expand(h, w, half), px[None, :, :].expand(h, w, half)], dim=2)
    return pe.permute(2, 0, 1).unsqueeze(0).contiguous()


# ---------------------------------------------------------------- Top level (AnchorColorProb)

class DiscoNet(nn.Module):
    """All learned parts of DISCO. Stage forwards take and return the tensors listed in docs/disco-method.md §14."""

    def __init__(self, config=None):
        super().__init__()
        cfg = copy.deepcopy(config or OFFICIAL_CONFIG)
        self.config = cfg
        d, heads, ffn, nl = D_MODEL, cfg["heads"], cfg["ffn"], cfg["encoder_layers"]
        self.segnet = _SegWrapper(cfg["spixel"])
        if cfg.get("backbone_kind", "colorprobnet") == "mobilenet_v2":
            from .mobilenet import MobileNetBackbone  # weights are loaded by the trainer or a state_dict
            self.repnet = MobileNetBackbone()
        else:
            self.repnet = ColorProbNet(cfg["backbone"], cfg["backbone_mid_blocks"])
        self.enhanceNet = HourGlass2(cfg["refiner"], cfg["refiner_res_blocks"])
        self.wildpath = Encoder(nl, d, heads, ffn)
        self.hintpath = Encoder(nl, d, heads, ffn)
        self.mid_word_prj = nn.Linear(d, N_BINS, bias=False)
        self.trg_word_emb = nn.Linear(d + N_BINS + 1, d, bias=False)
        self.trg_word_prj = nn.Linear(d, N_BINS, bias=False)

    def spectral_norm_convs(self):
        return ([f"repnet.{n}" for n in self.repnet.spectral_norm_convs()] +
                [f"enhanceNet.{n}" for n in self.enhanceNet.spectral_norm_convs()])

    # stage 1
    def spixel(self, gray):
        return self.segnet(gray)

    # stage 2
    def backbone(self, gray):
        return self.repnet(gray)

    # stage 4
    def color_modeler(self, tokens, pos):
        fc = self.wildpath(grid_to_seq(tokens), grid_to_seq(pos))
        logits = self.mid_word_prj(fc)
        return seq_to_grid(fc, tokens, D_MODEL), seq_to_grid(logits, tokens, N_BINS)

    # stage 7
    def color_generator(self, tokens, pos, mask, onehot):
        x = torch.cat([grid_to_seq(tokens), grid_to_seq(onehot), grid_to_seq(mask)], dim=2)
        g = self.hintpath(self.trg_word_emb(x), grid_to_seq(pos))
        return seq_to_grid(g, tokens, D_MODEL), seq_to_grid(self.trg_word_prj(g), tokens, N_BINS)

    # stage 9
    def refiner(self, gray, features):
        return torch.tanh(self.enhanceNet(torch.cat([gray, features], 1)))
