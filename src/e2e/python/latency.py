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
    rts = []
    for _ in range(50):
        t = time.time()
        kc.execute_interactive(code, timeout=60, output_hook=lambda m: None)
        rts.append(time.time() - t)
    print("first cell reply after launch: %.3f s" % first)
    print("trivial cell round trip over %d cells: median %.1f ms (min %.1f, max %.1f)"
          % (len(rts), statistics.median(rts) * 1e3, min(rts) * 1e3, max(rts) * 1e3))
    if os.environ.get("LATENCY_LONG"):
        for _ in range(450):
            kc.execute_interactive(code, timeout=60, output_hook=lambda m: None)
        late = []
        for _ in range(50):
            t = time.time()
            kc.execute_interactive(code, timeout=60, output_hook=lambda m: None)
            late.append(time.time() - t)
        print("after 500 earlier cells: median %.1f ms over the next 50" % (statistics.median(late) * 1e3))
    kc.stop_channels()
    km.shutdown_kernel(now=False)


if __name__ == "__main__":
    main()
