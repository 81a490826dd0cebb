"""WeightAverage: the blend of live weights that train_default.py exports."""
import unittest

import torch

from disco.ema import WeightAverage


class WeightAverageTest(unittest.TestCase):
    def make(self):
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3))
        torch.nn.utils.spectral_norm(net[0])  # weight_orig, weight_u, weight_v as in training
        return net

    def test_blends_weights_with_a_ramped_decay(self):
        live = self.make()
        avg = WeightAverage(live, decay=0.9)
        start = live[0].weight_orig.detach().clone()
        with torch.no_grad():
            live[0].weight_orig.add_(1.0)
        avg.update(live)  # first update: decay min(0.9, 2/11)
        d = 2 / 11
        torch.testing.assert_close(avg.model[0].weight_orig, d * start + (1 - d) * (start + 1))
        for _ in range(200):
            avg.update(live)
        torch.testing.assert_close(avg.model[0].weight_orig, start + 1, atol=1e-6, rtol=0)

    def test_copies_power_iteration_vectors_and_counters(self):
        live = self.make()
        avg = WeightAverage(live, decay=0.999)
        with torch.no_grad():
            live[0].weight_u.copy_(torch.tensor([0.0, 1.0, 0.0]))
            live[1].running_mean.fill_(5.0)
            live[1].num_batches_tracked.fill_(7)
        avg.update(live)
        torch.testing.assert_close(avg.model[0].weight_u, torch.tensor([0.0, 1.0, 0.0]))
        self.assertEqual(int(avg.model[1].num_batches_tracked), 7)
        # running statistics are averaged like weights
        self.assertTrue(0 < float(avg.model[1].running_mean[0]) < 5.0)

    def test_copies_a_model_that_has_trained(self):
        live = self.make()
        live(torch.randn(1, 2, 5, 5)).sum().backward()  # spectral norm now caches a weight with a graph
        avg = WeightAverage(live, decay=0.9)
        torch.testing.assert_close(avg.model[0].weight_orig, live[0].weight_orig)
        live(torch.randn(1, 2, 5, 5)).sum().backward()  # the live model still trains

    def test_does_not_touch_the_live_model(self):
        live = self.make()
        before = {k: v.clone() for k, v in live.state_dict().items()}
        avg = WeightAverage(live, decay=0.5)
        with torch.no_grad():
            avg.model[0].bias.add_(3.0)
        avg.update(live)
        for k, v in live.state_dict().items():
            torch.testing.assert_close(v, before[k])


if __name__ == "__main__":
    unittest.main()
