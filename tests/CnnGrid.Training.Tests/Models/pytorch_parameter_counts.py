"""The external reference for the parameter counts and forward FLOPs asserted in ModelCatalogTests. Not run by the
tests; the numbers there were produced with

    apt-get install -y python3-torch libopenblas0-pthread   # Debian 12: PyTorch 1.13
    /usr/bin/python3 pytorch_parameter_counts.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../FoldWorker/CnnGrid.Training/Models"))
from pytorch_twins import MODELS, forward_flops  # noqa: E402

for shape in [(1, 28, 28), (3, 32, 32)]:
    for name, build in MODELS.items():
        try:
            counts = [sum(p.numel() for p in build(shape, 10, kind).parameters())
                      for kind in ["none", "batchnorm", "layernorm"]]
            flops = forward_flops(build(shape, 10, "none"), shape)
        except RuntimeError as error:  # the input is too small for the model
            print(f"{name} {shape}: does not fit ({str(error).splitlines()[0]})")
            continue
        print(f'[InlineData("{name}", {shape[0]}, {shape[1]}, {shape[2]}, {counts[0]}, {counts[1]}, {counts[2]}, {flops})]')
