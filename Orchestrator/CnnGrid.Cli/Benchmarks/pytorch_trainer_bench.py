"""One training epoch of a catalog model in PyTorch, for `./cnngrid bench trainer --pytorch`: the same model (its
PyTorch twin), batch size, image count, optimizer and thread count as the CnnGrid side. Prints {"imagesPerSecond": x}.
Needs Debian's python3-torch; never a dependency of CnnGrid itself."""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--models-dir", required=True)
parser.add_argument("--model", required=True)
parser.add_argument("--shape", required=True, help="C,H,W")
parser.add_argument("--classes", type=int, default=10)
parser.add_argument("--images", type=int, required=True)
parser.add_argument("--batch-size", type=int, required=True)
parser.add_argument("--threads", type=int, required=True)
args = parser.parse_args()

sys.path.insert(0, args.models_dir)
from pytorch_twins import MODELS  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(0)
shape = tuple(int(x) for x in args.shape.split(","))
model = MODELS[args.model](shape, args.classes, "none")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
images = torch.randn(args.images, *shape)
labels = torch.randint(0, args.classes, (args.images,))


def epoch():
    model.train()
    order = torch.randperm(args.images)
    for start in range(0, args.images, args.batch_size):
        index = order[start:start + args.batch_size]
        optimizer.zero_grad()
        loss = loss_fn(model(images[index]), labels[index])
        loss.backward()
        optimizer.step()


epoch()  # warm-up: allocator, kernels
began = time.perf_counter()
epoch()
print(json.dumps({"imagesPerSecond": args.images / (time.perf_counter() - began)}))
