"""The refiner's perceptual loss (disco/perceptual.py) and the early stop of MobileNetV2.forward it relies on."""
import unittest

import torch

from disco.mobilenet import MobileNetV2
from disco.perceptual import TAPS, perceptual_loss


def random_body():
    torch.manual_seed(0)
    body = MobileNetV2(last_block=12).eval()
    for p in body.parameters():
        p.requires_grad_(False)
    return body


def photo(n=2, size=64):
    """gray (L-50)/50 and a smooth, saturated ab/110 field."""
    y, x = torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size), indexing="ij")
    gray = (0.3 * x + 0.2 * y).expand(n, 1, size, size).clone()
    ab = torch.stack([0.4 * torch.sin(3 * x), 0.4 * torch.cos(2 * y)]).expand(n, 2, size, size).clone()
    return gray, ab


class PerceptualLossTest(unittest.TestCase):
    def test_zero_for_the_true_colours_and_larger_the_further_from_them(self):
        body = random_body()
        gray, ab = photo()
        self.assertEqual(perceptual_loss(body, ab, ab, gray).item(), 0.0)
        half = perceptual_loss(body, 0.5 * ab, ab, gray).item()
        none = perceptual_loss(body, torch.zeros_like(ab), ab, gray).item()
        self.assertGreater(half, 0.0)
        self.assertGreater(none, half)

    def test_gradient_reaches_the_prediction_only(self):
        body = random_body()
        gray, ab = photo()
        pred = torch.zeros_like(ab, requires_grad=True)
        perceptual_loss(body, pred, ab, gray).backward()
        self.assertGreater(pred.grad.abs().sum().item(), 0.0)
        self.assertTrue(all(p.grad is None for p in body.parameters()))

    def test_body_stops_after_the_last_tap_with_the_same_features(self):
        body = random_body()
        rgb = torch.rand(1, 3, 64, 64)
        ran_past = []
        hook = body.blocks[max(TAPS) + 1].register_forward_hook(lambda *_: ran_past.append(True))
        early = body(rgb, set(TAPS))
        self.assertEqual(ran_past, [])
        hook.remove()
        full = body(rgb, set(TAPS) | {12})
        self.assertEqual(sorted(early), sorted(TAPS))
        for t in TAPS:
            torch.testing.assert_close(early[t], full[t], rtol=0, atol=0)


if __name__ == "__main__":
    unittest.main()
