"""Weights between Netbook and PyTorch, for WeightsExchangeTest: the PyTorch side.

  weights.py forward SPEC WEIGHTS INPUT OUT     load Netbook's weights (.npz) into the module built from SPEC,
                                                 run INPUT (x) in eval mode, write OUT (y)
  weights.py export SPEC SEED INPUT WEIGHTS OUT  a module with PyTorch's own random init (batch-norm buffers
                                                 randomised too), its weights to WEIGHTS and its output on INPUT to OUT
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench", "python"))
import spec_torch  # noqa: E402


def module(spec_path):
    with open(spec_path) as fh:
        m = spec_torch.build(json.load(fh), djl_compat=True)
    return m


def main():
    torch.set_num_threads(1)
    cmd = sys.argv[1]
    if cmd == "forward":
        _, _, spec, weights, inp, out = sys.argv
        m = module(spec)
        spec_torch.load_npz(m, weights)
    elif cmd == "export":
        _, _, spec, seed, inp, weights, out = sys.argv
        torch.manual_seed(int(seed))
        m = module(spec)
        with torch.no_grad():
            for name, b in m.named_buffers():
                if name.endswith("running_mean"):
                    b.normal_(0, 0.1)
                elif name.endswith("running_var"):
                    b.uniform_(0.5, 1.5)
        spec_torch.save_npz(m, weights)
    else:
        raise SystemExit("unknown command " + cmd)
    m.eval()
    x = torch.from_numpy(np.load(inp)["x"])
    with torch.no_grad():
        y = m(x)
    np.savez(out, y=y.numpy().astype(np.float32))
    print("ok", cmd, list(y.shape))


if __name__ == "__main__":
    main()
