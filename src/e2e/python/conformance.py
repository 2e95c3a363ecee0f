"""The official kernel conformance suite (jupyter_kernel_test) configured for Netbook's kernel.

Run with Debian's python3 and JUPYTER_PATH pointing at a folder holding kernels/<name>/kernel.json:
    JUPYTER_PATH=/tmp/k/share/jupyter /usr/bin/python3 src/e2e/python/conformance.py
"""
import os
import sys
import unittest

import jupyter_kernel_test

KERNEL = os.environ.get("NETBOOK_KERNEL", "netbook")


class NetbookKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    completion_samples = [
        {"text": "System.out.printl", "matches": {"println("}},
        {"text": "Integer.toHexS", "matches": {"toHexString("}},
        {"text": "%cla", "matches": {"classpath"}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "System.out.println(1);", "%time 1 + 1", "class A {}"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int f(int a) {", "1 +"]
    invalid_code_samples = ["}", ")"]

    code_generate_error = 'throw new IllegalStateException("expected");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"net" + "book"', "result": "netbook"},
        {"code": "Table.create(\"t\", IntColumn.create(\"a\", 1, 2))", "mime": "text/html"},
    ]

    code_display_data = [
        {"code": 'display(Table.create("t", IntColumn.create("a", 1, 2)));', "mime": "text/html"},
        {"code": 'display(LinePlot.titled("loss").series("train", new double[] {3, 2, 1}));', "mime": "image/svg+xml"},
    ]

    code_history_pattern = "6 * 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "System.out.println"

    code_page_something = "?Math.max"

    code_clear_output = 'System.out.println("soon gone");\nclearOutput(false);'


# A skipped test is not a pass: only these, named with the reason, may be skipped.
DELIBERATE_SKIPS = {}


if __name__ == "__main__":
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    undeliberate = []
    for test, reason in result.skipped:
        name = test.id().rsplit(".", 1)[-1]
        if name in DELIBERATE_SKIPS:
            print("skipped deliberately: %s (%s)" % (name, DELIBERATE_SKIPS[name]))
        else:
            undeliberate.append(name)
            print("FAIL skipped without a reason: %s (%s)" % (name, reason or "no message"))
    sys.exit(0 if result.wasSuccessful() and not undeliberate else 1)
