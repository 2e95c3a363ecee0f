#!/usr/bin/python3
"""PyTorch eager peer for ./netbook bench: the network of a Netbook spec JSON (SpecJson.write), built
by spec_torch.py, trained with SGD (lr 0.01, momentum 0.9) on the same Fashion-MNIST batches.
Driven over stdin/stdout so that the Java side can interleave A B A B in one run.

Usage: torch_peer.py BATCH SPEC_JSON_FILE FASHION_DIR THREADS

First line out: "params <trainable count>". Then one answer line per command:
  train N  -> "ips <images/s>"               N training steps, timed as a whole
  split N  -> "split <fwd_s> <bwd_s> <opt_s>" N training steps; median seconds per step of
              forward + loss, of backward, and of optimizer step + zero_grad
  profile N FILE -> "profiled <events>"   N training steps under torch.autograd.profiler,
              written to FILE as a chrome trace
  peak     -> "gflops <GFLOP/s>"              2048^2 float matmul
  rss      -> "peak_mib <MiB>"                peak resident memory of this process
  quit     -> exits
The spec's input must be 1xHxW with H, W >= 28: the 28x28 images are zero-padded evenly
(1x32x32 -> 2 on each side). Auxiliary heads: loss = CE(main) + sum w_i * CE(aux_i), as Netbook.
"""
import gzip, json, os, statistics, struct, sys, time
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec_torch  # noqa: E402

if len(sys.argv) != 5:
    sys.exit("usage: torch_peer.py BATCH SPEC_JSON_FILE FASHION_DIR THREADS")
batch, spec_file, data_dir, threads = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
torch.set_num_threads(threads)
torch.set_num_interop_threads(1)
torch.manual_seed(1)

with open(spec_file) as f:
    spec = json.load(f)
try:
    model = spec_torch.build(spec)
except spec_torch.SpecError as e:
    sys.exit("torch_peer: cannot build %s: %s" % (spec_file, e))
shape = model.input_shape
if len(shape) != 3 or shape[0] != 1 or min(shape[1:]) < 28 or (shape[1] - 28) % 2 or (shape[2] - 28) % 2:
    sys.exit("torch_peer: spec input %s does not fit 1x28x28 Fashion-MNIST (1xHxW, H and W >= 28, even padding)"
             % (list(shape),))
_, h, w = shape
if len(model.output_shape) != 1 or model.output_shape[0] < 10:
    sys.exit("torch_peer: spec output %s is not (classes >= 10)" % (list(model.output_shape),))


def idx(path):
    with gzip.open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(dims)


x_all = idx(data_dir + "/train-images-idx3-ubyte.gz").float().div(255).unsqueeze(1)
if (h, w) != (28, 28):
    ph, pw = (h - 28) // 2, (w - 28) // 2
    x_all = F.pad(x_all, (pw, pw, ph, ph))
y_all = idx(data_dir + "/train-labels-idx1-ubyte.gz").long()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
print("params", spec_torch.trainable_params(model), flush=True)
offset = 0


def next_batch():
    global offset
    if offset + batch > x_all.shape[0]:
        offset = 0
    x, y = x_all[offset:offset + batch], y_all[offset:offset + batch]
    offset += batch
    return x, y


def train_step():
    x, y = next_batch()
    opt.zero_grad(set_to_none=True)
    loss = model.loss(model(x), y)
    loss.backward()
    opt.step()


for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "train":
        n = int(cmd[1])
        t0 = time.perf_counter()
        for _ in range(n):
            train_step()
        print("ips", n * batch / (time.perf_counter() - t0), flush=True)
    elif cmd[0] == "profile":
        n, path = int(cmd[1]), cmd[2]
        with torch.autograd.profiler.profile() as prof:
            for _ in range(n):
                train_step()
        tmp = path + ".tmp"
        prof.export_chrome_trace(tmp)
        os.replace(tmp, path)
        print("profiled", len(prof.function_events), flush=True)
    elif cmd[0] == "split":
        n = max(1, int(cmd[1]))
        fwd, bwd, upd = [], [], []
        opt.zero_grad(set_to_none=True)
        for _ in range(n):
            x, y = next_batch()
            t0 = time.perf_counter()
            loss = model.loss(model(x), y)
            t1 = time.perf_counter()
            loss.backward()
            t2 = time.perf_counter()
            opt.step()
            opt.zero_grad(set_to_none=True)
            t3 = time.perf_counter()
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
            upd.append(t3 - t2)
        print("split", statistics.median(fwd), statistics.median(bwd), statistics.median(upd), flush=True)
    elif cmd[0] == "peak":
        a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
        torch.mm(a, b)
        t0 = time.perf_counter()
        for _ in range(10):
            torch.mm(a, b)
        print("gflops", 10 * 2 * 2048 ** 3 / (time.perf_counter() - t0) / 1e9, flush=True)
    elif cmd[0] == "rss":
        import resource
        print("peak_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)
    elif cmd[0] == "quit":
        break
    else:
        print("error unknown command", cmd[0], flush=True)
