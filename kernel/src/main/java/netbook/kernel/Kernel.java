package netbook.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * The kernel process: {@code java -cp 'src/target/lib/*' netbook.kernel.Kernel CONNECTION_FILE}.
 * Binds the sockets at once (kernel_info is answered while JShell still starts in the background);
 * the first cell waits for the session.
 */
public final class Kernel {
    private Kernel() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--warmup")) {
            warmup();
            return;
        }
        boolean allowEmptyKey = args.length == 2 && args[1].equals("--allow-empty-key");
        if (args.length != 1 && !allowEmptyKey) {
            System.err.println("usage: netbook.kernel.Kernel CONNECTION_FILE [--allow-empty-key]");
            System.exit(2);
        }
        trace("main");
        CompletableFuture<Session> session = CompletableFuture.supplyAsync(() -> {
            Session s = Session.start();
            trace("session ready");
            s.startupProblems().forEach(p -> PROCESS_ERR.println("netbook: startup import failed: " + p));
            return s;
        }, r -> {
            Thread t = new Thread(r, "netbook-jshell-start");
            t.setDaemon(true);
            t.start();
        });
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        String problem = keyProblem(props.getKey(), allowEmptyKey);
        if (problem != null) {
            System.err.println(problem);
            System.exit(2);
        }
        NetbookKernel kernel = new NetbookKernel(session);
        trace("kernel built");
        kernel.installFrontEnd();
        Connection connection = new Connection(props);
        trace("connection built");
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        trace("sockets bound");
        connection.waitUntilClose();
        System.exit(exitCode);
    }

    /**
     * Why the kernel refuses this key, or null. An empty key turns signing off, so anyone who can
     * reach the ports can run code as the user: only a kernelspec that says so explicitly gets it.
     */
    static String keyProblem(String key, boolean allowEmptyKey) {
        if ((key == null || key.isEmpty()) && !allowEmptyKey) {
            return "netbook: the connection file's key is empty, so messages would not be signed and anyone reaching "
                    + "the kernel's ports could run code; give a key, or add --allow-empty-key to the kernelspec's argv to accept that";
        }
        return null;
    }

    /** 0, or 1 once the session failed to start (the kernel then answers one cell with the reason and exits). */
    static volatile int exitCode;

    private static final boolean TRACE = System.getenv("NETBOOK_TRACE") != null;
    /** The process's standard error, kept before cells swap System.err. */
    static final java.io.PrintStream PROCESS_ERR = System.err;

    /** With NETBOOK_TRACE set, prints milliseconds since the JVM started, for startup profiling. */
    static void trace(String what) {
        if (TRACE) {
            long start = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
            PROCESS_ERR.println("netbook trace " + (System.currentTimeMillis() - start) + " ms: " + what);
        }
    }

    /**
     * Runs what a first session runs (startup imports, a table, a network summary, a plot), so that
     * {@code -XX:ArchiveClassesAtExit} records the classes a kernel needs; see {@link Install}.
     */
    static void warmup() throws Exception {
        NetbookKernel kernel = new NetbookKernel(new CompletableFuture<>());
        KernelConnectionProperties.parse("{\"ip\":\"127.0.0.1\",\"transport\":\"tcp\",\"signature_scheme\":\"hmac-sha256\",\"key\":\"k\","
                + "\"shell_port\":1,\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,\"hb_port\":5}").createHMACGenerator();
        try (Session s = Session.start()) {
            Magics m = new Magics(s, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            for (String cell : new String[] {"1 + 1", "int x = 2;\nx * 21",
                    "Table.create(\"t\", IntColumn.create(\"a\", 1, 2))",
                    "Net.input(1, 28, 28).add(conv(8, 3).padding(1), relu(), flatten(), linear(10)).summary()",
                    "LinePlot.titled(\"p\").series(\"s\", new double[] {1, 2})", "%vars"}) {
                Object v = m.run(cell, "warmup").value();
                Rich.render(v, kernel.getRenderer());
            }
            s.complete("System.out.prin", 15);
            s.isComplete("for (int i = 0; i < 3; i++) {");
        }
    }
}
