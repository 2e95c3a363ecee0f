"""Measures kernels with jupyter_client (a report, not a test): time from launch to the first
cell's reply, and the median round trip of a trivial cell over 50 cells (with LATENCY_LONG=1 also
over cells 501-550).

The first reply is timed two ways, each from its own launch. "Queued": the cell is sent at once
and ZeroMQ holds it until the kernel binds, so the time is the kernel's own start. "After
wait_for_ready": what nbclient, nbconvert and jupyter console do before their first cell (send
kernel_info_request until one reply arrives together with an IOPub message, then drain IOPub
until it has been quiet for 0.2 s), so the time is what a notebook client sees, handshake
included. Each kernel named in LATENCY_KERNELS (default: Netbook's, then Debian's
ipykernel "python3" as the yardstick) is measured in the same run, one after the other.

With LATENCY_ROUNDS=N (N >= 2) each kernel is launched once unmeasured (the client's own first
launch is slower), then the kernels are launched in turn N times (each round starting with the
next kernel), and a summary compares each kernel with the last one named (the yardstick): the
difference of both first replies and of the trivial-cell median, launch by launch within a
round, as a mean with a 95% interval. One
launch varies by a few tenths of a second on a small VM, so a single run cannot say which kernel
starts sooner; the interval can, or says that it cannot ("within noise").

    JUPYTER_PATH=/tmp/k/share/jupyter /usr/bin/python3 src/e2e/python/latency.py
    LATENCY_ROUNDS=10 /usr/bin/python3 src/e2e/python/latency.py
"""
import math
import os
import statistics
import time

from jupyter_client.manager import KernelManager

# Two-sided 95% quantiles of Student's t for 1-30 degrees of freedom (the
# same table as Seeds.java; past 30 the 30th, a little wide).
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
       2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
       2.052, 2.048, 2.045, 2.042]

KERNEL = os.environ.get("NETBOOK_KERNEL", "netbook")


def main():
    names = os.environ.get("LATENCY_KERNELS", KERNEL + ",python3").split(",")
    rounds = int(os.environ.get("LATENCY_ROUNDS", "1"))
    results = {name: [] for name in names}
    if rounds > 1:
        # The client's first launch pays for its own lazy imports (0.2-0.3 s seen here, charged
        # to whichever kernel is first), and the first launch of each kernel reads its files from
        # disk. One unmeasured launch of each keeps both out of the paired differences.
        for name in names:
            print("== %s (warm-up launch, not counted)" % name, flush=True)
            measure(name)
    for r in range(rounds):
        # Each round starts with the next kernel, so that no kernel always launches right after
        # the same other one (whose exit may still be freeing memory) or always first.
        for name in names[r % len(names):] + names[:r % len(names)]:
            print("== %s%s" % (name, " (round %d of %d)" % (r + 1, rounds) if rounds > 1 else ""), flush=True)
            first, cell = measure(name)
            results[name].append((first, cell, measure_after_ready(name)))
    if rounds > 1:
        summarise(names, results)


def interval(diffs):
    """Mean of paired differences and its 95% t-interval."""
    mean = statistics.mean(diffs)
    half = T95[min(len(diffs) - 1, len(T95)) - 1] * statistics.stdev(diffs) / math.sqrt(len(diffs))
    return mean, mean - half, mean + half


def verdict(low, high, unit):
    if high < 0:
        return "sooner, settled"
    if low > 0:
        return "later, settled"
    return "within noise (the interval holds 0 %s)" % unit


def summarise(names, results):
    yardstick = names[-1]
    print("== summary over %d rounds" % len(results[yardstick]))
    for name in names:
        firsts = [r[0] for r in results[name]]
        cells = [r[1] for r in results[name]]
        readies = [r[2] for r in results[name]]
        print("%s: first reply median %.3f s (%.3f-%.3f); after wait_for_ready %.3f s (%.3f-%.3f); "
              "trivial cell median of medians %.1f ms (%.1f-%.1f)"
              % (name, statistics.median(firsts), min(firsts), max(firsts),
                 statistics.median(readies), min(readies), max(readies),
                 statistics.median(cells) * 1e3, min(cells) * 1e3, max(cells) * 1e3))
    for name in names[:-1]:
        pairs = list(zip(results[name], results[yardstick]))
        m, lo, hi = interval([a[0] - b[0] for a, b in pairs])
        print("%s - %s, first reply: %+.3f s [%+.3f, %+.3f]: %s" % (name, yardstick, m, lo, hi, verdict(lo, hi, "s")))
        m, lo, hi = interval([a[2] - b[2] for a, b in pairs])
        print("%s - %s, first reply after wait_for_ready: %+.3f s [%+.3f, %+.3f]: %s"
              % (name, yardstick, m, lo, hi, verdict(lo, hi, "s")))
        m, lo, hi = interval([(a[1] - b[1]) * 1e3 for a, b in pairs])
        print("%s - %s, trivial cell: %+.1f ms [%+.1f, %+.1f]: %s" % (name, yardstick, m, lo, hi, verdict(lo, hi, "ms")))


def roundtrip(kc, code, timeout=60):
    """One cell: execute, its outputs on IOPub up to its idle status, then its reply. What
    execute_interactive does, without its zmq.Poller, which in Debian's jupyter_client (7.4)
    sometimes never wakes for ipykernel's idle status (a 60 s timeout, seen here every time on
    one machine), so both kernels are timed by this same loop."""
    msg_id = kc.execute(code)
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            break
    while kc.get_shell_msg(timeout=timeout)["parent_header"].get("msg_id") != msg_id:
        pass


def launch(kernel):
    """Starts the kernel and a client on its channels; returns both and the time of the call."""
    km = KernelManager(kernel_name=kernel)
    t0 = time.time()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    return km, kc, t0


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def measure(kernel, code="1 + 1"):
    km, kc, t0 = launch(kernel)
    msg_id = kc.execute(code)  # queued by ZeroMQ until the kernel binds
    while kc.get_shell_msg(timeout=120)["parent_header"].get("msg_id") != msg_id:
        pass
    first = time.time() - t0
    # IOPub is a PUB socket: what a kernel publishes before the client's subscription reaches it is
    # lost. A fast kernel answers its first cell before that, and the next cell's idle status could
    # be lost with it (seen with ipykernel). wait_for_ready returns once IOPub delivers.
    kc.wait_for_ready(timeout=60)
    rts = []
    for _ in range(50):
        t = time.time()
        roundtrip(kc, code)
        rts.append(time.time() - t)
    print("first cell reply after launch: %.3f s" % first)
    print("trivial cell round trip over %d cells: median %.1f ms (min %.1f, max %.1f)"
          % (len(rts), statistics.median(rts) * 1e3, min(rts) * 1e3, max(rts) * 1e3))
    if os.environ.get("LATENCY_LONG"):
        for _ in range(450):
            roundtrip(kc, code)
        late = []
        for _ in range(50):
            t = time.time()
            roundtrip(kc, code)
            late.append(time.time() - t)
        print("after 500 earlier cells: median %.1f ms over the next 50" % (statistics.median(late) * 1e3))
    stop(km, kc)
    return first, statistics.median(rts)


def measure_after_ready(kernel, code="1 + 1"):
    """A fresh launch timed as a notebook client sees it: wait_for_ready, then the first cell."""
    km, kc, t0 = launch(kernel)
    kc.wait_for_ready(timeout=60)
    roundtrip(kc, code)
    first = time.time() - t0
    print("first cell reply after launch, after wait_for_ready: %.3f s" % first)
    stop(km, kc)
    return first


if __name__ == "__main__":
    main()
