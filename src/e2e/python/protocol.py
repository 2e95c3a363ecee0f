"""Protocol scenarios against Netbook's kernel with jupyter_client: interrupt of a tight loop and
of a print loop, System.exit in a cell, a flood of output, restart, a failing cell followed by a
working one, update_display_data, a Tablesaw table as HTML, streaming, stdin, completion,
inspection, is_complete, comm_info, history, shutdown.

    JUPYTER_PATH=/tmp/k/share/jupyter /usr/bin/python3 src/e2e/python/protocol.py
"""
import os
import sys
import time
import traceback
from queue import Empty

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("NETBOOK_KERNEL", "netbook")
TIMEOUT = 120


def execute(kc, code, timeout=TIMEOUT, allow_stdin=False, stdin_hook=None):
    """Runs a cell; returns (reply content, iopub messages of that cell in order)."""
    msgs = []
    kwargs = {}
    if stdin_hook:
        kwargs["stdin_hook"] = stdin_hook
    reply = kc.execute_interactive(code, timeout=timeout, allow_stdin=allow_stdin,
                                   output_hook=msgs.append, **kwargs)
    return reply["content"], msgs


def outputs(msgs, kind):
    return [m for m in msgs if m["msg_type"] == kind]


def check_table_as_html(kc):
    c, msgs = execute(kc, 'var t = Table.create("scores", StringColumn.create("model", "cnn", "mlp"), '
                          'DoubleColumn.create("accuracy", 0.91, 0.87));\nt')
    assert c["status"] == "ok", c
    res = outputs(msgs, "execute_result")
    assert len(res) == 1, msgs
    data = res[0]["content"]["data"]
    assert "<table" in data["text/html"] and "accuracy" in data["text/html"] and "0.91" in data["text/html"], data
    assert "cnn" in data["text/plain"], data


def check_summary_as_html(kc):
    c, msgs = execute(kc, "var net = Net.input(1, 28, 28).add(conv(16, 3).padding(1), batchNorm(), relu(), "
                          "maxPool(2), flatten(), linear(10));\nnet.summary()")
    assert c["status"] == "ok", c
    data = outputs(msgs, "execute_result")[0]["content"]["data"]
    assert "Trainable params" in data["text/html"] and "Conv2d" in data["text/html"], data
    c, msgs = execute(kc, "Diagram.of(net)")
    assert "<svg" in outputs(msgs, "execute_result")[0]["content"]["data"]["image/svg+xml"]


def check_failing_then_working(kc):
    c, msgs = execute(kc, "int a = 1;\nint b = a / 0;")
    assert c["status"] == "error" and c["ename"] == "ArithmeticException", c
    err = outputs(msgs, "error")
    assert len(err) == 1 and "at In[" in "\n".join(err[0]["content"]["traceback"]), err
    assert "line 2" in "\n".join(err[0]["content"]["traceback"]), err
    c, msgs = execute(kc, "int y = undefinedName + 1;")
    assert c["status"] == "error" and c["ename"] == "CompileError", c
    assert any("^" in line for line in c["traceback"]), c
    c, msgs = execute(kc, "a + 41")
    assert c["status"] == "ok", c
    assert outputs(msgs, "execute_result")[0]["content"]["data"]["text/plain"] == "42", msgs


def check_internal_is_not_api(kc):
    """Cells compile against the runtime without netbook.internal, and still run on it."""
    c, msgs = execute(kc, "netbook.internal.djl.Compiler.class")
    assert c["status"] == "error" and c["ename"] == "CompileError", c
    text = "\n".join(c["traceback"])
    assert "netbook.internal" in text and "not its API" in text and "Fit" in text, text
    # The public road compiles, and the runtime underneath it (which calls netbook.internal) runs.
    c, msgs = execute(kc, 'var rows = new float[8][4];\nfor (int i = 0; i < 8; i++) rows[i][i % 4] = 1;\n'
                          'try (var m = Fit.of(Net.input(4).add(linear(2)), ArrayDataset.of(rows, new int[] {0, 1, 0, 1, 0, 1, 0, 1}))\n'
                          '        .epochs(1).batchSize(4).seed(1).progress(Progress.none()).run()) {\n'
                          '    System.out.println("rows " + m.metrics().rowCount());\n}')
    assert c["status"] == "ok", c
    assert "rows 1" in "".join(m["content"]["text"] for m in outputs(msgs, "stream")), msgs


def check_streams_arrive_while_running(kc):
    code = ('System.out.println("first");\nSystem.out.flush();\nThread.sleep(1500);\n'
            'System.err.println("second");')
    arrivals = []
    start = time.time()

    def hook(m):
        if m["msg_type"] == "stream":
            arrivals.append((time.time() - start, m["content"]["name"], m["content"]["text"]))
    reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=hook)
    done = time.time() - start
    assert reply["content"]["status"] == "ok", reply
    assert [a[1] for a in arrivals] == ["stdout", "stderr"], arrivals
    assert arrivals[0][0] < done - 1.0, (arrivals, done)  # streamed during the sleep, not at the end


def check_display_and_update(kc):
    c, msgs = execute(kc, 'String id = display(Table.create("p", IntColumn.create("step", 1)));\n'
                          'updateDisplay(id, Table.create("p", IntColumn.create("step", 1, 2)));')
    assert c["status"] == "ok", c
    shown = outputs(msgs, "display_data")
    updated = outputs(msgs, "update_display_data")
    assert len(shown) == 1 and len(updated) == 1, msgs
    did = shown[0]["content"]["transient"]["display_id"]
    assert did and updated[0]["content"]["transient"]["display_id"] == did, (shown, updated)
    assert "<table" in updated[0]["content"]["data"]["text/html"]


def check_progress_display(kc):
    code = ('var p = netbook.train.Progress.current();\n'
            'p.start("fit demo", 2, 5);\n'
            'for (int e = 1; e <= 2; e++) {\n'
            '    for (int s = 1; s <= 5; s++) { p.step(e, s, 1.0 / (e * 5 + s)); Thread.sleep(60); }\n'
            '    p.epoch(e, Map.of("val_accuracy", 0.5 + e / 10.0));\n'
            '}\n'
            'p.end();')
    c, msgs = execute(kc, code)
    assert c["status"] == "ok", c
    shown = outputs(msgs, "display_data")
    updates = outputs(msgs, "update_display_data")
    assert len(shown) == 1, msgs
    did = shown[0]["content"]["transient"]["display_id"]
    assert len(updates) >= 3, [m["msg_type"] for m in msgs]
    assert all(u["content"]["transient"]["display_id"] == did for u in updates)
    # while it runs the loss curve is inline SVG; the last drawing, which the saved notebook keeps,
    # carries it as a PNG image (exported pages and untrusted notebooks strip inline SVG)
    assert any("<svg" in u["content"]["data"]["text/html"] for u in updates[:-1]), [u["content"]["data"]["text/html"][:200] for u in updates]
    last = updates[-1]["content"]["data"]["text/html"]
    assert "<progress" in last and '<img src="data:image/png;base64,' in last and "<svg" not in last and "val_accuracy" in last, last[:300]


def interrupt_after(km, kc, code, seconds=2):
    """Starts a cell, interrupts it after a while, and checks that it ends as Interrupted within 30 s."""
    msg_id = kc.execute(code)
    time.sleep(seconds)
    km.interrupt_kernel()
    deadline = time.time() + 30
    while True:
        reply = kc.get_shell_msg(timeout=max(1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted", reply["content"]


def check_interrupt_tight_loop(km, kc):
    interrupt_after(km, kc, "while (true) {}")
    c, msgs = execute(kc, "1 + 1")
    assert c["status"] == "ok", c
    assert outputs(msgs, "execute_result")[0]["content"]["data"]["text/plain"] == "2"


def check_system_exit(kc):
    c, msgs = execute(kc, "int kept = 5;\nSystem.exit(1);")
    assert c["status"] == "error" and c["ename"] == "SystemExitNotAllowed", c
    assert c["evalue"] == "System.exit(1) is not allowed in a notebook cell; restart the kernel instead", c
    c, msgs = execute(kc, "kept + 1")
    assert c["status"] == "ok", c
    assert outputs(msgs, "execute_result")[0]["content"]["data"]["text/plain"] == "6", msgs


def check_flood(kc):
    c, msgs = execute(kc, "for (int i = 0; i < 200000; i++) System.out.println(i);")
    assert c["status"] == "ok", c
    streams = outputs(msgs, "stream")
    out = "".join(m["content"]["text"] for m in streams if m["content"]["name"] == "stdout")
    err = "".join(m["content"]["text"] for m in streams if m["content"]["name"] == "stderr")
    total = sum(len(str(i)) + 1 for i in range(200000))          # 1,288,890 bytes
    limit = 1000000                                              # the kernel's default cap
    assert len(out) == limit and out.startswith("0\n1\n2\n"), (len(out), out[:20], out[-20:])
    kept_lines = out.count("\n")
    assert out.endswith("\n%d\n" % (kept_lines - 1)), out[-20:]
    dropped = total - limit
    assert ("%s more bytes (%s lines) were not shown" % (format(dropped, ","), format(200000 - kept_lines, ","))) in err, err
    # Coalesced: a few messages a second, not one per line (200,000).
    assert len(streams) < 1000, len(streams)


def check_interrupt_while_printing(km, kc):
    interrupt_after(km, kc, 'for (long i = 0; ; i++) { System.out.println("line " + i); }')
    # Every IOPub message of the interrupted cell arrived whole (jupyter_client would fail on a torn
    # multipart message), and the next cell's output and result arrive as usual.
    c, msgs = execute(kc, 'System.out.println("after the interrupt");\n40 + 2')
    assert c["status"] == "ok", c
    text = "".join(m["content"]["text"] for m in outputs(msgs, "stream"))
    assert "after the interrupt\n" in text, text
    assert outputs(msgs, "execute_result")[0]["content"]["data"]["text/plain"] == "42", msgs
    # Nothing of the interrupted loop reaches a later cell, even on a JDK without Thread.stop
    # (there it ends at its next print instead of being stopped).
    c, msgs = execute(kc, 'Thread.sleep(500);\nSystem.out.println("quiet");')
    text = "".join(m["content"]["text"] for m in outputs(msgs, "stream"))
    assert c["status"] == "ok" and text == "quiet\n", text[:300]


def check_maven(kc):
    # A real artifact with its dependencies (opentest4j, junit-platform-commons, apiguardian), taken from
    # the local Maven repository that built Netbook; it is not on the kernel's class path before.
    import re
    pom = open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "pom.xml")).read()
    version = re.search(r"<junit.version>([^<]+)</junit.version>", pom).group(1)
    c, msgs = execute(kc, "%maven org.junit.jupiter:junit-jupiter-api:" + version)
    assert c["status"] == "ok", c
    text = "".join(m["content"]["text"] for m in outputs(msgs, "stream"))
    assert "Added junit-jupiter-api-%s.jar" % version in text and "Added opentest4j-" in text, text
    c, msgs = execute(kc, 'org.junit.jupiter.api.Assertions.assertEquals(2, 1 + 1);\n"junit from a cell"')
    assert c["status"] == "ok", c
    assert outputs(msgs, "execute_result")[0]["content"]["data"]["text/plain"] == "junit from a cell", msgs
    c, msgs = execute(kc, "%maven com.google.code.gson:gson:2.10.1")
    text = "".join(m["content"]["text"] for m in outputs(msgs, "stream"))
    if c["status"] == "ok":   # resolvable (Central reachable, or in the local repository): reported, not loaded
        assert "com.google.code.gson:gson:2.10.1 (Netbook ships 2.11.0)" in text, text
    else:                     # neither: one line naming both places
        assert c["ename"] == "MavenError" and "\n" not in c["evalue"], c


def check_stdin(kc):
    c, msgs = execute(kc, 'var line = new java.util.Scanner(System.in).nextLine();\n"got " + line',
                      allow_stdin=True, stdin_hook=lambda m: kc.input("typed text"))
    assert c["status"] == "ok", c
    assert outputs(msgs, "execute_result")[0]["content"]["data"]["text/plain"] == "got typed text", msgs


def check_requests(kc):
    kc.complete("Math.ma", 7)
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "ok" and "max(" in r["matches"] and r["cursor_start"] == 5, r
    kc.inspect("Math.max", 8)
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "ok" and r["found"] and "max" in r["data"]["text/plain"], r
    kc.is_complete("if (true) {")
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "incomplete" and r["indent"] == "    ", r
    kc.is_complete("class { }")
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "invalid", r
    kc.comm_info()
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "ok" and r["comms"] == {}, r
    kc.history(hist_access_type="tail", n=2, output=False, raw=True)
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "ok" and len(r["history"]) == 2, r
    kc.history(hist_access_type="range", session=0, start=1, stop=3, output=False, raw=True)
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "ok" and [h[1] for h in r["history"]] == [1, 2], r
    kc.history(hist_access_type="search", pattern="*System.exit*", output=False, raw=True, n=10)
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "ok" and len(r["history"]) >= 1 and all("System.exit" in h[2] for h in r["history"]), r
    kc.kernel_info()
    r = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert r["status"] == "ok" and r["implementation"] == "netbook", r
    c, msgs = execute(kc, "%nosuchmagic")
    assert c["status"] == "error" and c["ename"] == "UnknownMagic", c


def check_restart(km, kc):
    c, _ = execute(kc, "int survivor = 7;")
    assert c["status"] == "ok", c
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=TIMEOUT)
    c, msgs = execute(kc, "survivor")
    assert c["status"] == "error" and c["ename"] == "CompileError", c
    c, msgs = execute(kc, "3 * 3")
    assert outputs(msgs, "execute_result")[0]["content"]["data"]["text/plain"] == "9", msgs


def main():
    km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=TIMEOUT)
    checks = [
        ("table as text/html", lambda: check_table_as_html(kc)),
        ("summary and diagram", lambda: check_summary_as_html(kc)),
        ("failing cell, then a working one", lambda: check_failing_then_working(kc)),
        ("netbook.internal is not API in a cell", lambda: check_internal_is_not_api(kc)),
        ("streams arrive while the cell runs", lambda: check_streams_arrive_while_running(kc)),
        ("display_data then update_display_data", lambda: check_display_and_update(kc)),
        ("training progress updated in place", lambda: check_progress_display(kc)),
        ("interrupt of while (true) {}", lambda: check_interrupt_tight_loop(km, kc)),
        ("System.exit in a cell ends the cell, not the kernel", lambda: check_system_exit(kc)),
        ("a 200,000-line flood is coalesced and capped", lambda: check_flood(kc)),
        ("interrupt during a print loop", lambda: check_interrupt_while_printing(km, kc)),
        ("%maven: an artifact with its dependencies, and a clash", lambda: check_maven(kc)),
        ("stdin", lambda: check_stdin(kc)),
        ("complete/inspect/is_complete/comm_info/history/kernel_info", lambda: check_requests(kc)),
        ("restart clears the state", lambda: check_restart(km, kc)),
    ]
    failed = 0
    try:
        for name, check in checks:
            t = time.time()
            try:
                check()
                print("ok   %-60s %.2fs" % (name, time.time() - t), flush=True)
            except Exception:
                failed += 1
                print("FAIL %s" % name, flush=True)
                traceback.print_exc()
    finally:
        # The kernel must exit by itself, promptly and cleanly, on a shutdown_request; jupyter_client's
        # shutdown_kernel() would kill it after a grace period, so it cannot tell.
        kc.shutdown()
        proc = km.provisioner.process if getattr(km, "provisioner", None) is not None else km.kernel
        t0 = time.time()
        code = None
        while time.time() - t0 < 10:
            code = proc.poll()
            if code is not None:
                break
            time.sleep(0.05)
        kc.stop_channels()
        print("kernel exit after shutdown_request: code %s after %.2fs" % (code, time.time() - t0))
        if code != 0:
            failed += 1
            print("FAIL the kernel did not exit on its own with code 0 within 10 s")
            km.shutdown_kernel(now=True)
        else:
            km.cleanup_resources()
    print("%d of %d checks failed" % (failed, len(checks)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
