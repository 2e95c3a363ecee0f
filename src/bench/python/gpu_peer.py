#!/usr/bin/env python3
"""PyTorch eager on a GPU, the peer of ./netbook gpu-check's speed row: the network of a Netbook spec
JSON (SpecJson.write), built by spec_torch.py, trained with Adam (lr 1e-3, PyTorch's defaults) on
seeded random inputs held in host memory and copied to the GPU batch by batch, as Netbook's loop does.

Usage: gpu_peer.py SPEC_JSON_FILE BATCH STEPS
Prints "ips <examples/s>" over STEPS timed steps after 3 warm-up steps; exits 3 without a CUDA GPU.
"""
import json, os, sys, time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import spec_torch  # noqa: E402

if len(sys.argv) != 4:
    sys.exit("usage: gpu_peer.py SPEC_JSON_FILE BATCH STEPS")
spec_file, batch, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if not torch.cuda.is_available():
    print("gpu_peer: torch %s sees no CUDA GPU" % torch.__version__, file=sys.stderr)
    sys.exit(3)
torch.manual_seed(1)
with open(spec_file) as f:
    model = spec_torch.build(json.load(f))
classes = model.output_shape[0]
model = model.cuda().train()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
# Eight batches in host memory, used in turn: the copy to the GPU is part of every step.
xs = [torch.rand((batch,) + tuple(model.input_shape)) for _ in range(8)]
ys = [torch.randint(0, classes, (batch,)) for _ in range(8)]


def step(i):
    x, y = xs[i % 8].cuda(), ys[i % 8].cuda()
    opt.zero_grad(set_to_none=True)
    loss = model.loss(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()  # read back every step, as Netbook's loop does (and most training loops' logging)


for i in range(3):
    step(i)
torch.cuda.synchronize()
start = time.perf_counter()
for i in range(steps):
    step(i)
torch.cuda.synchronize()
print("ips %.1f" % (batch * steps / (time.perf_counter() - start)), flush=True)
