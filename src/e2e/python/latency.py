"""Measures kernels with jupyter_client (a report, not a test): time from launch to the first
cell's reply, and the median round trip of a trivial cell over 50 cells (with LATENCY_LONG=1 also
over cells 501-550). Each kernel named in LATENCY_KERNELS (default: Netbook's, then Debian's
ipykernel "python3" as the yardstick) is measured in the same run, one after the other.

    JUPYTER_PATH=/tmp/k/share/jupyter /usr/bin/python3 src/e2e/python/latency.py
"""
import os
import statistics
import time

from jupyter_client.manager import KernelManager

KERNEL = os.environ.get("NETBOOK_KERNEL", "netbook")


def main():
    names = os.environ.get("LATENCY_KERNELS", KERNEL + ",python3").split(",")
    for name in names:
        print("== %s" % name, flush=True)
        measure(name)


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


def measure(kernel, code="1 + 1"):
    km = KernelManager(kernel_name=kernel)
    t0 = time.time()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
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
    kc.stop_channels()
    km.shutdown_kernel(now=False)


if __name__ == "__main__":
    main()
