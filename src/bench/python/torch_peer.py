#!/usr/bin/python3
"""PyTorch eager peer for ./netbook bench: the same ResNet-18 (1x28x28 form) trained with SGD
momentum 0.9 on the same Fashion-MNIST batches. Driven over stdin/stdout so that the Java side
can interleave A B A B in one run:  "train N" -> prints images/s;  "peak" -> matmul GFLOP/s.
Usage: torch_peer.py BATCH WIDTHS(comma) FASHION_DIR THREADS
"""
import gzip, struct, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

batch, widths, data_dir, threads = int(sys.argv[1]), [int(w) for w in sys.argv[2].split(",")], sys.argv[3], int(sys.argv[4])
torch.set_num_threads(threads)
torch.set_num_interop_threads(1)
torch.manual_seed(1)


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.short is None else self.short(x)))


class ResNet18(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, w[0], 3, 1, 1, bias=False), nn.BatchNorm2d(w[0]), nn.ReLU())
        layers, cin = [], w[0]
        for s, cout in enumerate(w):
            for b in range(2):
                layers.append(Basic(cin, cout, 2 if (s > 0 and b == 0) else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, 10)

    def forward(self, x):
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.layers(self.stem(x)), 1), 1))


def idx(path):
    with gzip.open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).reshape(dims)


x_all = idx(data_dir + "/train-images-idx3-ubyte.gz").float().div(255).unsqueeze(1)
y_all = idx(data_dir + "/train-labels-idx1-ubyte.gz").long()
model = ResNet18(widths)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
print("params", sum(p.numel() for p in model.parameters() if p.requires_grad), flush=True)
offset = 0
for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "train":
        n = int(cmd[1])
        t0 = time.perf_counter()
        for _ in range(n):
            if offset + batch > x_all.shape[0]:
                offset = 0
            x, y = x_all[offset:offset + batch], y_all[offset:offset + batch]
            offset += batch
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        print("ips", n * batch / (time.perf_counter() - t0), flush=True)
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
