"""The course reports' way of running a cross-validation sweep, for `./cnngrid bench sweep --pytorch`: one Python
process, one trial after another (configuration by configuration, fold by fold, as seed 000's loop over dropouts x
scikit-learn's KFold does), each trained with a DataLoader over a TensorDataset and evaluated on its validation fold
after every epoch. It trains exactly the trials CnnGrid ran (their specs come as JSON) on the same images, with the
PyTorch twins of the catalog models. Needs Debian's python3-torch and python3-sklearn; never a dependency of CnnGrid.
Prints {"wallSeconds": s, "trials": [{"id", "accuracy"}]}."""
import argparse
import gzip
import json
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.model_selection import KFold, StratifiedKFold

parser = argparse.ArgumentParser()
parser.add_argument("--models-dir", required=True)
parser.add_argument("--trials", required=True, help="JSON file: a list of {id, spec}")
parser.add_argument("--images", required=True, help="IDX file of the training images (raw or .gz)")
parser.add_argument("--labels", required=True, help="IDX file of the training labels (raw or .gz)")
parser.add_argument("--threads", type=int, required=True)
args = parser.parse_args()

sys.path.insert(0, args.models_dir)
from pytorch_twins import MODELS  # noqa: E402


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


torch.set_num_threads(args.threads)
with open(args.trials) as f:
    trials = json.load(f)
pixels, all_labels = read_idx(args.images), read_idx(args.labels).astype(np.int64)

began = time.perf_counter()
prepared = {}
results = []
for trial in trials:
    spec = trial["spec"]
    dataset = spec["dataset"]
    key = (dataset.get("limit"), json.dumps(dataset.get("mean")), json.dumps(dataset.get("std")))
    if key not in prepared:
        limit = dataset.get("limit") or len(pixels)
        x = torch.tensor(pixels[:limit], dtype=torch.float32).div_(255).unsqueeze(1)
        mean = dataset.get("mean") or [x.mean().item()]
        std = dataset.get("std") or [x.std(unbiased=False).item()]
        prepared[key] = ((x - mean[0]) / std[0], torch.tensor(all_labels[:limit]))
    x, y = prepared[key]
    splitter = (StratifiedKFold if spec["stratified"] else KFold)(
        n_splits=spec["folds"], shuffle=spec["shuffleFolds"], random_state=spec["seed"] if spec["shuffleFolds"] else None)
    train_index, val_index = list(splitter.split(np.zeros(len(y)), y.numpy()))[spec["fold"]]

    torch.manual_seed(spec["seed"])
    model = MODELS[spec["model"]](tuple(x.shape[1:]), 10, spec["normalization"])
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.p = spec["dropout"]
    if spec["optimizer"] == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=spec["learningRate"], weight_decay=spec["weightDecay"])
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=spec["learningRate"], momentum=spec["momentum"],
                                    weight_decay=spec["weightDecay"])
    criterion = nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(x[train_index], y[train_index]), batch_size=spec["batchSize"], shuffle=True)
    val_x, val_y = x[val_index], y[val_index]
    accuracy = 0.0
    for epoch in range(spec["epochs"]):
        model.train()
        for inputs, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(val_x).argmax(1) == val_y).float().mean().item()
    results.append({"id": trial["id"], "accuracy": accuracy})

print(json.dumps({"wallSeconds": time.perf_counter() - began, "trials": results}))
