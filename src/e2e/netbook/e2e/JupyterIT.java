package netbook.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel driven by real Jupyter clients (Debian's python3 with jupyter_client, nbclient and
 * jupyter_kernel_test): the conformance suite, the protocol scenarios, every notebook under
 * notebooks/, and the documentation site built from them and looked at in headless Chromium.
 * Runs after packaging (failsafe), against the launcher's class path kernel/dist/target/lib.
 */
class JupyterIT {
    static final String PYTHON = "/usr/bin/python3";
    static final String KERNEL = "netbook-e2e";
    static Path root;
    static Path jupyterPath;

    @BeforeAll
    static void installKernel() throws Exception {
        root = Path.of(System.getProperty("netbook.root", "..")).toAbsolutePath().normalize();
        Path lib = root.resolve("kernel/dist/target/lib");
        assertTrue(Files.isDirectory(lib), lib + " is missing: run mvn package first");
        Result py = run(List.of(PYTHON, "-c", "import jupyter_client, nbclient, nbformat, jupyter_kernel_test"), Map.of(), 60);
        assertEquals(0, py.rc, "Debian's Jupyter packages are missing; install them with: apt-get install -y "
                + "jupyter-client python3-nbclient jupyter-nbconvert jupyter-notebook python3-jupyter-kernel-test\n" + py.out);
        Path prefix = root.resolve("src/target/e2e-jupyter");
        jupyterPath = prefix.resolve("share/jupyter");
        installKernelspec(KERNEL);
        assertTrue(Files.readString(jupyterPath.resolve("kernels/" + KERNEL + "/kernel.json")).contains("\"interrupt_mode\": \"message\""));
    }

    /** ./netbook kernel install into this test's Jupyter folder, under {@code name}, with more options. */
    static void installKernelspec(String name, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx4g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dnetbook.root=" + root, "-cp", root.resolve("kernel/dist/target/lib") + "/*", "netbook.kernel.Install",
                "kernel", "install", "--prefix", jupyterPath.getParent().getParent().toString(), "--name", name));
        cmd.addAll(List.of(options));
        Result install = run(cmd, Map.of(), 300);
        assertEquals(0, install.rc, install.out);
    }

    @Test
    void conformanceSuite() throws Exception {
        python("conformance.py", 600);
    }

    @Test
    void protocolScenarios() throws Exception {
        python("protocol.py", 900);
    }

    /**
     * The same scenarios with the kernel on Java 25, where this machine has Debian's Temurin 25:
     * no Thread.stop there (an interrupted print loop must end at its next print, not write into
     * the next cell), and the kernel starts from an ahead-of-time cache. Reported as skipped, not
     * passed, on a machine without that JDK.
     */
    @Test
    void protocolScenariosOnJava25() throws Exception {
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")), jdk25 + " is not on this machine");
        installKernelspec(KERNEL + "-java25", "--java", jdk25.toString());
        String spec = Files.readString(jupyterPath.resolve("kernels/" + KERNEL + "-java25/kernel.json"));
        assertTrue(spec.contains(jdk25.resolve("bin/java").toString()), spec);
        pythonOn(KERNEL + "-java25", root.resolve("src/e2e/python/protocol.py"), 900);
    }

    @Test
    void everyNotebookRunsWithoutErrors() throws Exception {
        python("notebooks.py", 1500, root.resolve("notebooks").toString(), root.resolve("src/target/executed-notebooks").toString());
    }

    /** Runs a check script with a deadline of {@code seconds}: past it the script and its kernels are killed and the test fails. */
    /**
     * ./netbook notebook under a service manager: SIGTERM to the launcher must stop the notebook
     * server and the kernels it started, not leave them running.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 5, unit = TimeUnit.MINUTES)
    void stoppingTheNotebookLauncherStopsTheServerAndItsKernels() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("netbook-notebook", ".log");
        List<ProcessHandle> tree = new ArrayList<>();
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dnetbook.root=" + root, "-cp", root.resolve("kernel/dist/target/lib") + "/*", "netbook.kernel.Install", "notebook",
                "--no-browser", "--port=" + port, "--NotebookApp.token=", "--NotebookApp.password=",
                "--NotebookApp.disable_check_xsrf=True")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            // Before the server starts, the launcher may record the kernel's class archive (a few
            // seconds; its warm-up gives up after two minutes), so the server gets three.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (true) {
                try {
                    var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/status")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) break;
                } catch (IOException notYet) {
                    // the server is still starting
                }
                assertTrue(System.nanoTime() < deadline && launcher.isAlive(), "no notebook server on port " + port
                        + (launcher.isAlive() ? " after 180 s" : "; the launcher exited with " + launcher.exitValue()) + ", its output:\n" + Files.readString(log));
                Thread.sleep(250);
            }
            var started = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/kernels"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\": \"netbook\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(201, started.statusCode(), started.body());
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (launcher.descendants().noneMatch(p -> p.info().commandLine().orElse("").contains("netbook.kernel.Kernel"))) {
                assertTrue(System.nanoTime() < deadline, "the server started no kernel process");
                Thread.sleep(100);
            }
            tree.addAll(launcher.descendants().toList());
            launcher.destroy();   // SIGTERM, as a service manager or a closed terminal sends
            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher did not stop on SIGTERM");
            for (ProcessHandle p : tree) {
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // asserted below
                }
                assertTrue(!p.isAlive(), "still running after the launcher stopped: " + p.pid() + " " + p.info().commandLine().orElse(""));
            }
        } finally {
            // Whatever is left (the server and kernels of a failed run) must not outlive the test.
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            tree.forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void docsSiteShowsEveryFigureOffline() throws Exception {
        Path site = root.resolve("src/target/docs");
        StringBuilder cp = new StringBuilder();
        try (var jars = Files.list(root.resolve("kernel/dist/target/lib"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.append(cp.length() == 0 ? "" : ":").append(p));
        }
        pythonAt(root.resolve("src/docs/docs.py"), 1800, "--kernel", KERNEL, "--out", site.toString(),
                "--javadoc-source", root.resolve("dsl/src/main/java") + java.io.File.pathSeparator + root.resolve("dsl/runtime/src/main/java"), "--javadoc-cp", cp.toString(),
                root.resolve("notebooks").toString());
        assertTrue(Files.exists(site.resolve("api/netbook/dsl/Net.html")), "the Javadoc of Net");
        python("docs_check.py", 900, site.toString(), root.resolve("notebooks").toString());
    }

    private static void python(String script, long seconds, String... args) throws Exception {
        pythonAt(root.resolve("src/e2e/python").resolve(script), seconds, args);
    }

    private static void pythonAt(Path scriptPath, long seconds, String... args) throws Exception {
        pythonOn(KERNEL, scriptPath, seconds, args);
    }

    private static void pythonOn(String kernel, Path scriptPath, long seconds, String... args) throws Exception {
        String script = scriptPath.getFileName().toString();
        List<String> cmd = new ArrayList<>(List.of(PYTHON, scriptPath.toString()));
        cmd.addAll(List.of(args));
        Result r = run(cmd, Map.of("JUPYTER_PATH", jupyterPath.toString(), "NETBOOK_KERNEL", kernel,
                "PYTHONUNBUFFERED", "1", "PYDEVD_DISABLE_FILE_VALIDATION", "1"), seconds);
        System.out.println("---- " + script + "\n" + r.out);
        assertEquals(0, r.rc, script + " failed:\n" + r.out);
    }

    record Result(int rc, String out) {}

    static Result run(List<String> cmd, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(root.toFile());
        pb.environment().putAll(env);
        Path log = Files.createTempFile("netbook-e2e", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done;
        try {
            done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // JUnit's timeout: leave nothing running behind the failed test.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(done ? p.exitValue() : 124, done ? out : out + "\n(timed out after " + timeoutSeconds + " s)");
    }
}
