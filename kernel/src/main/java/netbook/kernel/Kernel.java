package netbook.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * The kernel process: {@code java -cp 'kernel/dist/target/lib/*' netbook.kernel.Kernel CONNECTION_FILE}.
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
        CompletableFuture<Session> session = startSession();  // first: JShell's start is the longest path
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        String problem = keyProblem(props.getKey(), allowEmptyKey);
        if (problem != null) {
            System.err.println(problem);
            System.exit(2);
        }
        serve(props, session);
        System.exit(exitCode);
    }

    /** JShell and the startup imports, started on their own thread. */
    static CompletableFuture<Session> startSession() {
        return CompletableFuture.supplyAsync(() -> {
            Session s = Session.start();
            trace("session ready");
            s.startupProblems().forEach(p -> PROCESS_ERR.println("netbook: startup import failed: " + p));
            return s;
        }, r -> {
            Thread t = new Thread(r, "netbook-jshell-start");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Binds the sockets and serves until a shutdown request. */
    static void serve(KernelConnectionProperties props, CompletableFuture<Session> session) throws Exception {
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
            // The JVM's own start time: the process's (ProcessHandle) counts from a boot time that
            // Linux gives in whole seconds, so it was up to a second off.
            long start = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            long now = System.currentTimeMillis();
            // The wall-clock time too, to line the kernel's steps up with a client's clock.
            PROCESS_ERR.println("netbook trace " + (now - start) + " ms (" + now + "): " + what);
        }
    }

    /**
     * Runs a real kernel on loopback ports and drives it the way a notebook's first minute does
     * (kernel_info, cells with a table, a network summary, a plot and {@code %vars}, a completion,
     * an is_complete, shutdown), so that {@code -XX:ArchiveClassesAtExit} records every class a
     * kernel loads before its first reply: JShell's and javac's, and also ZeroMQ's, jjava's
     * message classes and Gson's; see {@link Install}. Gives up after two minutes.
     */
    static void warmup() throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(120_000);
                PROCESS_ERR.println("netbook: the warm-up kernel did not finish in 2 minutes");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "netbook-warmup-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        CompletableFuture<Session> session = startSession();
        int[] ports = freePorts(5);
        KernelConnectionProperties props = new KernelConnectionProperties("127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4],
                "tcp", "hmac-sha256", java.util.UUID.randomUUID().toString());
        Throwable[] failure = new Throwable[1];  // written by the server thread, read by the clients while they wait
        Thread server = new Thread(() -> {
            try {
                serve(props, session);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "netbook-warmup-kernel");
        // A daemon, so that a warm-up that failed (no reply in time) exits at once with its error
        // instead of keeping the JVM alive until the watchdog; on success it is joined below.
        server.setDaemon(true);
        server.start();
        org.zeromq.ZMQ.Context ctx = org.zeromq.ZMQ.context(1);
        java.util.function.Supplier<Throwable> serverFailure = () -> failure[0];
        try (WarmupClient shell = new WarmupClient(ctx, props, props.getShellPort(), serverFailure, WARMUP_REPLY_MS);
                WarmupClient control = new WarmupClient(ctx, props, props.getControlPort(), serverFailure, WARMUP_REPLY_MS)) {
            shell.request(new org.dflib.jjava.jupyter.messages.request.KernelInfoRequest());
            for (String cell : new String[] {"1 + 1", "int x = 2;\nx * 21", "System.out.println(\"printed\");",
                    "Table.create(\"t\", IntColumn.create(\"a\", 1, 2))",
                    "Net.input(1, 28, 28).add(conv(8, 3).padding(1), relu(), flatten(), linear(10)).summary()",
                    "LinePlot.titled(\"p\").series(\"s\", new double[] {1, 2})", "%vars", "1 / 0"}) {
                shell.request(new org.dflib.jjava.jupyter.messages.request.ExecuteRequest(cell, false, true, java.util.Map.of(), false, false));
            }
            shell.request(new org.dflib.jjava.jupyter.messages.request.CompleteRequest("System.out.prin", 15));
            shell.request(new org.dflib.jjava.jupyter.messages.request.IsCompleteRequest("for (int i = 0; i < 3; i++) {"));
            control.request(org.dflib.jjava.jupyter.messages.request.ShutdownRequest.SHUTDOWN);
        }
        server.join();
        ctx.close();
        watchdog.interrupt();
        if (failure[0] != null) {
            throw new IllegalStateException("the warm-up kernel failed", failure[0]);
        }
    }

    private static int[] freePorts(int n) throws java.io.IOException {
        int[] ports = new int[n];
        java.net.ServerSocket[] sockets = new java.net.ServerSocket[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (java.net.ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }

    /** How long the warm-up waits for one reply: a cell there takes well under a second once JShell is up. */
    static final long WARMUP_REPLY_MS = 30_000;

    /**
     * A front end's side of the shell or control socket: sends a request, waits for its reply, at
     * most {@link #WARMUP_REPLY_MS}, and gives up at once when the kernel's thread failed (a port
     * taken between choosing and binding it), so that a recording fails with the reason instead
     * of hanging until the watchdog.
     */
    static final class WarmupClient extends org.dflib.jjava.jupyter.channels.JupyterSocket implements AutoCloseable {
        private static final String SESSION = java.util.UUID.randomUUID().toString();

        private final int port;
        private final java.util.function.Supplier<Throwable> serverFailure;
        private final long replyMs;

        WarmupClient(org.zeromq.ZMQ.Context ctx, KernelConnectionProperties props, int port,
                java.util.function.Supplier<Throwable> serverFailure, long replyMs) throws Exception {
            super(ctx, org.zeromq.SocketType.DEALER, props.createHMACGenerator(), org.slf4j.LoggerFactory.getLogger(Kernel.class));
            this.port = port;
            this.serverFailure = serverFailure;
            this.replyMs = replyMs;
            setLinger(0);
            bind(props);
        }

        /** A front end's end of the socket: it connects to the kernel's port rather than binding one. */
        @Override
        public void bind(KernelConnectionProperties props) {
            connect(formatAddress(props.getTransport(), props.getIp(), port));
        }

        <T extends org.dflib.jjava.jupyter.messages.ContentType<T>> void request(T content) {
            sendMessage(new org.dflib.jjava.jupyter.messages.Message<>(
                    new org.dflib.jjava.jupyter.messages.Header<>(SESSION, content.getType()), content));
            long deadline = System.nanoTime() + replyMs * 1_000_000L;
            try (org.zeromq.ZMQ.Poller poller = ctx.poller(1)) {
                poller.register(this, org.zeromq.ZMQ.Poller.POLLIN);
                while (poller.poll(100) <= 0) {
                    Throwable failed = serverFailure.get();
                    if (failed != null) {
                        throw new IllegalStateException("the warm-up kernel failed before it answered " + content.getType().getName()
                                + " on port " + port + ": " + failed, failed);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no reply to " + content.getType().getName() + " on port " + port
                                + " within " + replyMs / 1000.0 + " s");
                    }
                }
            }
            try {
                readMessage();
            } catch (ClassCastException e) {
                // The reply came; jjava's reader cannot turn an error reply into the request's reply type.
            }
        }
    }
}
