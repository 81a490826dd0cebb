"""DISCO's parameter-free stages in PyTorch, for training and evaluation (docs/disco-method.md §2, §3, §6, §9).

These follow the spec closely but are not bit-exact ports (k-means uses torch's RNG, Lab is analytic);
the TypeScript runtime has the exact versions.
"""
import torch
import torch.nn.functional as F

from .model import CELL

# ------------------------------------------------------------------ Lab (analytic, sRGB D65)

_M = torch.tensor([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169],
                   [0.019334, 0.119193, 0.950227]])
_WHITE = torch.tensor([0.950456, 1.0, 1.088754])


def rgb_to_lab(rgb):
    """rgb [N,3,H,W] in [0,1] -> L [N,1,H,W] in 0..100, ab [N,2,H,W]."""
    lin = torch.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = torch.einsum("ij,njhw->nihw", _M, lin) / _WHITE.view(1, 3, 1, 1)
    f = torch.where(xyz > 0.008856, xyz.clamp_min(1e-12) ** (1 / 3), 7.787 * xyz + 16 / 116)
    y = xyz[:, 1:2]
    L = torch.where(y > 0.008856, 116 * f[:, 1:2] - 16, 903.3 * y)
    a = 500 * (f[:, 0:1] - f[:, 1:2])
    b = 200 * (f[:, 1:2] - f[:, 2:3])
    return L, torch.cat([a, b], 1)


def lab_to_rgb(L, ab):
    """L [N,1,H,W], ab [N,2,H,W] -> rgb [N,3,H,W] clipped to [0,1]."""
    fy_hi = (L + 16) / 116
    y = torch.where(L > 7.9996, fy_hi ** 3, L / 903.3)
    fy = torch.where(L > 7.9996, fy_hi, 7.787 * y + 16 / 116)
    fx = fy + ab[:, 0:1] / 500
    fz = fy - ab[:, 1:2] / 200

    def inv(t):
        return torch.where(t > 6 / 29, t ** 3, (t - 16 / 116) / 7.787)

    xyz = torch.cat([inv(fx), y, inv(fz)], 1) * _WHITE.view(1, 3, 1, 1)
    lin = torch.einsum("ij,njhw->nihw", torch.linalg.inv(_M), xyz).clamp(0, 1)
    return torch.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin.clamp_min(1e-12) ** (1 / 2.4) - 0.055)


# ------------------------------------------------------------------ the 313 ab bins

_B_RANGES = {-90: (50, 90), -80: (20, 90), -70: (0, 90), -60: (-20, 90), -50: (-30, 100), -40: (-40, 100),
             -30: (-50, 100), -20: (-50, 100), -10: (-60, 100), 0: (-70, 100), 10: (-80, 90), 20: (-80, 90),
             30: (-90, 90), 40: (-100, 90), 50: (-100, 80), 60: (-110, 80), 70: (-110, 80), 80: (-110, 70),
             90: (-110, 70), 100: (-90, 0)}
BINS = torch.tensor([[a, b] for a in sorted(_B_RANGES) for b in range(_B_RANGES[a][0], _B_RANGES[a][1] + 1, 10)],
                    dtype=torch.float32)  # (313, 2), a ascending then b ascending
assert BINS.shape[0] == 313


def ab_to_bin(ab):
    """ab [N,2,...] (not normalised) -> nearest bin index [N,...] (lowest index on ties)."""
    flat = ab.movedim(1, -1).reshape(-1, 2)
    idx = torch.cdist(flat, BINS).argmin(1)
    return idx.reshape(ab.shape[0], *ab.shape[2:])


def soft_encode(ab, sigma=5.0, k=5):
    """ab [N,2,h,w] -> soft targets [N,313,h,w]: Gaussian weights on the 5 nearest bins, normalised."""
    flat = ab.movedim(1, -1).reshape(-1, 2)
    d = torch.cdist(flat, BINS)
    dk, ik = d.topk(k, dim=1, largest=False)
    w = torch.exp(-dk ** 2 / (2 * sigma ** 2))
    w = w / w.sum(1, keepdim=True).clamp_min(1e-12)
    q = torch.zeros(flat.shape[0], 313).scatter_(1, ik, w)
    n, _, h, ww = ab.shape
    return q.reshape(n, h, ww, 313).permute(0, 3, 1, 2)


def rebalance_weights(prior, lam=0.5):
    """docs/disco-method.md §3: w = 1/((1-lam) p + lam/313), renormalised so that sum(p w) = 1."""
    w = 1.0 / ((1 - lam) * prior + lam / 313)
    return w / (prior * w).sum()


# ------------------------------------------------------------------ superpixel pooling / diffusion

OFFSETS = [(k // 3 - 1, k % 3 - 1) for k in range(9)]


def _cells(x):
    """[N,C,H,W] -> [N*h*w, C, 256]: the pixels of each 16x16 cell, row-major."""
    n, c, H, W = x.shape
    h, w = H // CELL, W // CELL
    return x.reshape(n, c, h, CELL, w, CELL).permute(0, 2, 4, 1, 3, 5).reshape(n * h * w, c, CELL * CELL)


def sp_pool(x, assoc):
    """x [N,C,H,W], assoc [N,9,H,W] -> (tokens [N,C,h,w], prob_sum [N,1,h,w]); docs/disco-method.md §6.
    Per source cell, one matrix product gives its contribution to each of the 9 neighbours; these are
    then shifted onto the target cells (out-of-grid targets are dropped)."""
    n, c, H, W = x.shape
    h, w = H // CELL, W // CELL
    a = _cells(assoc).transpose(1, 2)  # (Nhw, 256, 9)
    contrib = torch.bmm(_cells(x), a) / (CELL * CELL)  # (Nhw, C, 9)
    contrib = contrib.reshape(n, h, w, c, 9).permute(0, 3, 4, 1, 2)  # (N, C, 9, h, w)
    mass = (a.sum(1) / (CELL * CELL)).reshape(n, h, w, 9).permute(0, 3, 1, 2)  # (N, 9, h, w)
    num = x.new_zeros(n, c, h, w)
    den = x.new_zeros(n, 1, h, w)
    for k, (dy, dx) in enumerate(OFFSETS):
        pn = F.pad(contrib[:, :, k], (1, 1, 1, 1))
        pd = F.pad(mass[:, k:k + 1], (1, 1, 1, 1))
        # source cell j - offset contributes to target cell j
        num = num + pn[:, :, 1 - dy:1 - dy + h, 1 - dx:1 - dx + w]
        den = den + pd[:, :, 1 - dy:1 - dy + h, 1 - dx:1 - dx + w]
    return num / (den + 1e-8), den


def sp_diffuse(t, assoc):
    """tokens t [N,C,h,w], assoc [N,9,H,W] -> [N,C,H,W]: sum_k A_k(p) t[cell(p)+offset_k]."""
    n, c, h, w = t.shape
    tp = F.pad(t, (1, 1, 1, 1))
    shifted = torch.stack([tp[:, :, 1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy, dx in OFFSETS], 2)
    shifted = shifted.permute(0, 3, 4, 1, 2).reshape(n * h * w, c, 9)  # (Nhw, C, 9)
    out = torch.bmm(shifted, _cells(assoc))  # (Nhw, C, 256)
    out = out.reshape(n, h, w, c, CELL, CELL).permute(0, 3, 1, 4, 2, 5)
    return out.reshape(n, c, h * CELL, w * CELL)


def sp_sizes(assoc):
    """Superpixel sizes [N,1,h,w]: pooled count of pixels whose hard association points at each cell."""
    hard = (assoc == assoc.max(1, keepdim=True).values).float()
    return sp_pool(torch.zeros_like(assoc[:, :1]), hard)[1]


# ------------------------------------------------------------------ anchors

def kmeans(x, k, generator, iters=20):
    """Lloyd's k-means on x [L,C]; centres start at k distinct random rows. Returns labels [L]."""
    L = x.shape[0]
    centres = x[torch.randperm(L, generator=generator)[:k]].clone()
    labels = torch.zeros(L, dtype=torch.long)
    for _ in range(iters):
        labels = torch.cdist(x, centres).argmin(1)
        new = centres.clone()
        for c in range(k):
            members = x[labels == c]
            new[c] = members.mean(0) if len(members) else x[torch.randint(L, (1,), generator=generator)[0]]
        shift = (new - centres).norm(dim=1).sum()
        centres = new
        if shift * shift < 1e-4:
            break
    return labels


def pick_anchors(labels, sizes, k):
    """One anchor per cluster: the member with the largest superpixel (docs/disco-method.md §9). -> mask [L]."""
    mask = torch.zeros(labels.shape[0])
    for c in range(k):
        score = (labels == c).float() + 0.01 * sizes
        mask[score.argmax()] += 1
    return mask


def locate_anchors(features, sizes, k, generator):
    """features [N,C,h,w], sizes [N,1,h,w] -> anchor mask [N,1,h,w] from k-means on the tokens."""
    n, c, h, w = features.shape
    masks = []
    for i in range(n):
        x = features[i].reshape(c, -1).t()
        kk = min(k, x.shape[0])
        labels = kmeans(x, kk, generator)
        masks.append(pick_anchors(labels, sizes[i].reshape(-1), kk).reshape(1, h, w))
    return torch.stack(masks)


def onehot_bins(labels, mask):
    """labels [N,h,w] bin indices, mask [N,1,h,w] -> one-hot(labels) * mask [N,313,h,w]."""
    return F.one_hot(labels, 313).permute(0, 3, 1, 2).float() * mask
