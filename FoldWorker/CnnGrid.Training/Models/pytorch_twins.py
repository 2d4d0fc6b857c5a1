"""PyTorch twins of CnnGrid's catalog models, written the seeds' way (nn.Sequential / the seed's own classes), with
the normalization kind at the marked places: BatchNorm -> BatchNorm2d after convs, BatchNorm1d after hidden linear
layers; LayerNorm -> GroupNorm(1, C) after convs, LayerNorm(features) after hidden linear layers. FLOPs are 2 x the
multiply-adds of the conv and linear layers for one image, counted with forward hooks.

Used by tests/CnnGrid.Training.Tests/Models/pytorch_parameter_counts.py (the reference for the parameter counts the
tests assert) and by `./cnngrid bench trainer --pytorch` (the side-by-side speed comparison). Never a dependency
of CnnGrid itself: Debian's python3-torch (apt-get install python3-torch libopenblas0-pthread).
"""
import torch
from torch import nn
import torch.nn.functional as F


def norm2d(kind, channels):
    return {"none": nn.Identity(), "batchnorm": nn.BatchNorm2d(channels), "layernorm": nn.GroupNorm(1, channels)}[kind]


def norm1d(kind, features):
    return {"none": nn.Identity(), "batchnorm": nn.BatchNorm1d(features), "layernorm": nn.LayerNorm(features)}[kind]


def flat_size(layers, shape):
    with torch.no_grad():
        return nn.Sequential(*layers).eval()(torch.zeros(1, *shape)).numel()


def seed000_cnn(shape, classes, kind):
    c = shape[0]
    features = [nn.Conv2d(c, 32, 3, padding=1), norm2d(kind, 32), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.5)]
    return nn.Sequential(*features, nn.Flatten(), nn.Linear(flat_size(features, shape), classes))


def seed004_cnn(shape, classes, kind):
    features = [nn.Conv2d(shape[0], 8, 3), norm2d(kind, 8), nn.MaxPool2d(2)]
    return nn.Sequential(*features, nn.Flatten(), nn.Dropout(0.5), nn.Linear(flat_size(features, shape), classes))


def two_block_cnn(kernel, padding, c1, c2, hidden):
    def build(shape, classes, kind):
        features = [nn.Conv2d(shape[0], c1, kernel, padding=padding), norm2d(kind, c1), nn.ReLU(), nn.MaxPool2d(2),
                    nn.Conv2d(c1, c2, kernel, padding=padding), norm2d(kind, c2), nn.ReLU(), nn.MaxPool2d(2)]
        return nn.Sequential(*features, nn.Flatten(), nn.Linear(flat_size(features, shape), hidden),
                             norm1d(kind, hidden), nn.ReLU(), nn.Dropout(0.5), nn.Linear(hidden, classes))
    return build


def lenet5(classic):
    def build(shape, classes, kind):
        act = nn.Sigmoid if classic else nn.ReLU
        pool = nn.AvgPool2d if classic else nn.MaxPool2d
        padding = 2 if shape[1] < 32 or shape[2] < 32 else 0
        features = [nn.Conv2d(shape[0], 6, 5, padding=padding), norm2d(kind, 6), act(), pool(2),
                    nn.Conv2d(6, 16, 5), norm2d(kind, 16), act(), pool(2)]
        return nn.Sequential(*features, nn.Flatten(),
                             nn.Linear(flat_size(features, shape), 120), norm1d(kind, 120), act(),
                             nn.Linear(120, 84), norm1d(kind, 84), act(), nn.Dropout(0.5), nn.Linear(84, classes))
    return build


def mlp(shape, classes, kind, hidden=8):
    # Seed 003's FC2Layer (without its LogSoftmax, which has no parameters).
    size = shape[0] * shape[1] * shape[2]
    return nn.Sequential(nn.Flatten(), nn.Linear(size, hidden), norm1d(kind, hidden), nn.ReLU(),
                         nn.Linear(hidden, hidden), norm1d(kind, hidden), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(hidden, classes))


def vgg_small(shape, classes, kind):
    # Seed 003's VGG._make_layers with the config's widths divided by 4.
    cfg = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M']
    layers, channels = [], shape[0]
    for x in cfg:
        if x == 'M':
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
        else:
            layers += [nn.Conv2d(channels, x // 4, kernel_size=3, padding=1), norm2d(kind, x // 4), nn.ReLU()]
            channels = x // 4
    return nn.Sequential(*layers, nn.Flatten(), nn.Dropout(0.5), nn.Linear(flat_size(layers, shape), classes))


class Residual(nn.Module):
    # Seed 002's residual block, with the normalization kind in place of its BatchNorm2d.
    def __init__(self, input_channels, num_channels, use_1x1conv, strides, kind):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)
        self.conv3 = nn.Conv2d(input_channels, num_channels, kernel_size=1, stride=strides) if use_1x1conv else None
        self.bn1 = norm2d(kind, num_channels)
        self.bn2 = norm2d(kind, num_channels)

    def forward(self, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        return F.relu(Y + X)


def resnet_small(shape, classes, kind):
    # Seed 002's TrashNet.
    return nn.Sequential(nn.Conv2d(shape[0], 32, kernel_size=3, stride=1, padding=1), norm2d(kind, 32), nn.ReLU(),
                         nn.MaxPool2d(kernel_size=3, stride=1, padding=1),
                         Residual(32, 64, True, 2, kind), Residual(64, 64, False, 1, kind),
                         nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Dropout(0.5), nn.Linear(64, classes))


MODELS = {
    "seed000-cnn": seed000_cnn,
    "seed000-deep": two_block_cnn(3, 1, 32, 32, 128),
    "seed001-cnn": two_block_cnn(3, 1, 32, 64, 128),
    "seed001-light": two_block_cnn(3, 1, 8, 16, 32),
    "seed003-cnn": two_block_cnn(5, 0, 6, 6, 50),
    "seed004-cnn": seed004_cnn,
    "lenet5": lenet5(classic=False),
    "lenet5-classic": lenet5(classic=True),
    "mlp": mlp,
    "vgg-small": vgg_small,
    "resnet-small": resnet_small,
}


def forward_flops(model, shape):
    total = 0

    def count(layer, _, output):
        nonlocal total
        total += 2 * layer.weight.numel() * (output.numel() // output.shape[1])

    for layer in model.modules():
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            layer.register_forward_hook(count)
    with torch.no_grad():
        model.eval()(torch.zeros(1, *shape))
    return total


