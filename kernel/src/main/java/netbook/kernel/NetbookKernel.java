package netbook.kernel;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import netbook.render.Display;
import netbook.train.Progress;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.Comm;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.dflib.jjava.jupyter.messages.request.CompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InspectRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.IsCompleteRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.request.ShutdownRequest;

/**
 * Netbook's Jupyter kernel: jjava's protocol layer, a {@link Session} evaluated in this process,
 * and every reply written here so that each carries {@code status}. Cell output is streamed while
 * the cell runs; {@code display(...)} and training progress publish display_data and
 * update_display_data under display ids.
 */
final class NetbookKernel extends BaseKernel {
    static final String VERSION = "0.1.0";
    private static final Pattern MAGIC_PREFIX = Pattern.compile("(?m)^(\\s*)(%%?)(\\w*)$");

    private final CompletableFuture<Session> session;
    private final List<Object[]> history = new ArrayList<>();
    /** Stream output of a cell is published at most this often (prints in between are joined into one message). */
    static final long COALESCE_MS = 50;
    /** Default cap on a cell's stream output, in bytes; {@code %output_limit} or NETBOOK_OUTPUT_LIMIT change it. */
    static final long DEFAULT_OUTPUT_LIMIT = 1_000_000;

    /**
     * Everything a cell shows (streams, display data) is sent by this one thread, in order. The
     * cell's own thread only queues, so an interrupt that stops the cell thread can never stop a
     * message half-sent on the IOPub socket.
     */
    private final java.util.concurrent.ExecutorService iopub = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netbook-iopub");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "netbook-output-tick");
        t.setDaemon(true);
        return t;
    });
    private volatile long outputLimit = outputLimitFromEnv();
    private final CellStream outStream = new CellStream(PublishStream.StreamType.OUT);
    private final CellStream errStream = new CellStream(PublishStream.StreamType.ERR);
    private final PrintStream cellOut = new PrintStream(outStream, true, StandardCharsets.UTF_8);
    private final PrintStream cellErr = new PrintStream(errStream, true, StandardCharsets.UTF_8);
    private final InputStream cellIn = new CellInput();
    private final PrintStream processOut = System.out;
    private final PrintStream processErr = System.err;
    private volatile ShellReplyEnvironment current;
    private volatile boolean stdinAllowed;

    NetbookKernel(CompletableFuture<Session> session) {
        super("netbook", VERSION,
                new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java", "java", null),
                List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null,
                new MagicsRegistry(), false, new StringStyler("", "", "", i -> ""));
        this.session = session;
    }

    /** Makes cell code's {@code display(...)} and training progress publish to the running cell. */
    void installFrontEnd() {
        Display.setSink(new Display.Sink() {
            @Override
            public void display(Object value, String id) {
                publishDisplay(value, id, false);
            }

            @Override
            public void update(Object value, String id) {
                publishDisplay(value, id, true);
            }

            @Override
            public void clear(boolean wait) {
                ShellReplyEnvironment env = current;
                if (env != null) {
                    drainStreams();
                    send(env, wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
                }
            }
        });
        Progress.setDefault(() -> new NotebookProgress(this));
    }

    /** Shows {@code value} (or replaces what is shown under {@code id}) in the running cell's output. */
    void publishDisplay(Object value, String id, boolean update) {
        ShellReplyEnvironment env = current;
        if (env == null) {
            return;
        }
        DisplayData d = new DisplayData(Rich.render(value, renderer));
        d.setDisplayId(id);
        drainStreams();
        if (update) {
            send(env, new PublishUpdateDisplayData(d));
        } else {
            send(env, new PublishDisplayData(d));
        }
    }

    /** Queues a message for the IOPub thread. */
    private <T extends org.dflib.jjava.jupyter.messages.ContentType<T>> void send(ShellReplyEnvironment env, T message) {
        iopub.execute(() -> env.publish(message));
    }

    /** Waits (up to 30 s) until the IOPub thread has sent everything queued so far. */
    private void awaitOutputSent() throws Exception {
        iopub.submit(() -> { }).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Publishes what the streams hold now, ahead of whatever is queued next. */
    private void drainStreams() {
        cellOut.flush();
        cellErr.flush();
        outStream.drain();
        errStream.drain();
    }

    /** Drains the streams and waits until the IOPub thread has sent everything queued, so replies come after outputs. */
    private void finishCellOutput() {
        drainStreams();
        long dropped = outStream.dropped + errStream.dropped;
        ShellReplyEnvironment env = current;
        if (dropped > 0 && env != null) {
            long lines = outStream.droppedLines + errStream.droppedLines;
            send(env, new PublishStream(PublishStream.StreamType.ERR, String.format(java.util.Locale.ROOT,
                    "%n[netbook: this cell's output passed the limit of %,d bytes; %,d more bytes (%,d lines) were not shown. "
                            + "%%output_limit BYTES changes the limit]%n", outputLimit, dropped, lines)));
        }
        try {
            awaitOutputSent();
        } catch (Exception e) {
            Kernel.PROCESS_ERR.println("netbook: output queue did not drain: " + e);
        }
        outStream.newCell();
        errStream.newCell();
    }

    /** The output cap for new cells, in bytes (at least 1,000). */
    void setOutputLimit(long bytes) {
        outputLimit = Math.max(1_000, bytes);
    }

    long outputLimit() {
        return outputLimit;
    }

    private static long outputLimitFromEnv() {
        String v = System.getenv("NETBOOK_OUTPUT_LIMIT");
        try {
            return v == null ? DEFAULT_OUTPUT_LIMIT : Math.max(1_000, Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            Kernel.PROCESS_ERR.println("netbook: NETBOOK_OUTPUT_LIMIT=" + v + " is not a number of bytes; using " + DEFAULT_OUTPUT_LIMIT);
            return DEFAULT_OUTPUT_LIMIT;
        }
    }

    private Session session() {
        return session.join();
    }

    /** The session, or the reason it could not start as a cell error. */
    Session sessionForCell() throws CellError {
        try {
            return session.join();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw CellError.of("SessionFailed", "the Java session could not start (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + "); the kernel stops now, start it again");
        }
    }

    // ----- BaseKernel's abstract methods (used by its statics) -----

    @Override
    public Object evalRaw(String code) {
        try {
            return session().eval(code, "eval", 1).value();
        } catch (CellError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = session().documentation(code, at, extraDetail);
        if (docs.isEmpty()) {
            return null;
        }
        return new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        Session.Matches m = session().complete(code, at);
        return new ReplacementOptions(m.matches(), m.start(), m.end());
    }

    @Override
    public String isComplete(String code) {
        return session().isComplete(code).status();
    }

    @Override
    public void interrupt() {
        if (session.isDone()) {
            Thread t = new Thread(() -> session().stop(), "netbook-interrupt");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    protected ClassLoader getClassLoader() {
        return session().classLoader();
    }

    // ----- handlers -----

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, this::handleCommInfoRequest);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void reply(ShellReplyEnvironment env, MessageType<?> type, Map<String, Object> content) {
        env.reply(new Message(env.getContext(), type, content));
    }

    private static Map<String, Object> ok() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        return m;
    }

    @Override
    protected void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest req = message.getContent();
        String code = req.getCode();
        boolean silent = req.isSilent();
        boolean store = req.shouldStoreHistory() && !silent;
        int count = silent ? executionCount.get() : executionCount.getAndIncrement();
        if (count == 1) {
            Kernel.trace("first execute_request received");
        }
        env.setStatusBusy();
        if (!silent) {
            env.publish(new PublishExecuteInput(code, count));
        }
        Session s;
        try {
            s = sessionForCell();
        } catch (CellError e) {
            // No session to run cells in: say why in this cell, then end the kernel (exit code 1)
            // rather than leave a kernel that answers every cell with the same failure.
            env.publish(new org.dflib.jjava.jupyter.messages.publish.PublishError(e.ename(), e.evalue(), e.traceback()));
            Map<String, Object> content = error(e.ename(), e.evalue(), e.traceback());
            content.put("execution_count", count);
            reply(env, MessageType.EXECUTE_REPLY, content);
            env.setStatusIdle();
            Kernel.PROCESS_ERR.println("netbook: " + e.evalue());
            Kernel.exitCode = 1;
            env.markForShutdown();
            return;
        }
        String paged = pagerTarget(code);
        if (paged != null) {
            // ?Math.max or Math.max? : the documentation in the front end's pager, as IPython does.
            List<String> docs = s.documentation(paged, paged.length(), true);
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("source", "page");
            page.put("data", Map.of("text/plain", docs.isEmpty() ? "No documentation found for " + paged : String.join("\n\n", docs)));
            page.put("start", 0);
            Map<String, Object> content = ok();
            content.put("execution_count", count);
            content.put("user_expressions", Map.of());
            content.put("payload", List.of(page));
            reply(env, MessageType.EXECUTE_REPLY, content);
            env.setStatusIdle();
            return;
        }
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        current = env;
        stdinAllowed = req.isStdinEnabled();
        System.setOut(cellOut);
        System.setErr(cellErr);
        System.setIn(cellIn);
        Map<String, Object> content;
        String outputText = null;
        try {
            Session.Result r = new Magics(s, cellOut, this).run(code, "In[" + count + "]");
            if (count == 1) {
                Kernel.trace("first cell evaluated");
            }
            finishCellOutput();
            if (r.hasValue() && r.value() != null && !silent) {
                DisplayData d = Rich.render(r.value(), renderer);
                env.publish(new PublishExecuteResult(count, d));
                if (count == 1) {
                    Kernel.trace("first value published");
                }
                Object text = d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
                outputText = text == null ? null : text.toString();
            }
            content = ok();
            content.put("execution_count", count);
            content.put("user_expressions", Map.of());
            content.put("payload", List.of());
        } catch (CellError e) {
            finishCellOutput();
            content = error(e.ename(), e.evalue(), e.traceback());
            content.put("execution_count", count);
            env.publish(new org.dflib.jjava.jupyter.messages.publish.PublishError(e.ename(), e.evalue(), e.traceback()));
        } catch (Throwable t) {
            finishCellOutput();
            String name = t.getClass().getSimpleName();
            List<String> tb = new ArrayList<>();
            tb.add(CellError.Ansi.red(name + ": " + t.getMessage()));
            for (StackTraceElement f : t.getStackTrace()) {
                tb.add("    at " + f);
            }
            content = error(name, String.valueOf(t.getMessage()), tb);
            content.put("execution_count", count);
            env.publish(new org.dflib.jjava.jupyter.messages.publish.PublishError(name, String.valueOf(t.getMessage()), tb));
        } finally {
            current = null;
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
        if (store) {
            synchronized (history) {
                history.add(new Object[] {count, code, outputText});
            }
        }
        reply(env, MessageType.EXECUTE_REPLY, content);
        env.setStatusIdle();
        if (count == 1) {
            Kernel.trace("first execute_reply sent");
        }
    }

    /** The expression of a one-line {@code ?EXPR} or {@code EXPR?} cell, else null. */
    static String pagerTarget(String code) {
        String c = code.strip();
        if (c.contains("\n") || c.length() < 2) return null;
        if (c.startsWith("?")) return c.substring(1).strip();
        if (c.endsWith("?") && !c.endsWith("??")) return c.substring(0, c.length() - 1).strip();
        return null;
    }

    private static Map<String, Object> error(String ename, String evalue, List<String> traceback) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "error");
        m.put("ename", ename);
        m.put("evalue", evalue == null ? "" : evalue);
        m.put("traceback", traceback);
        return m;
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setStatusBusy();
        Map<String, Object> c = ok();
        c.put("protocol_version", Header.PROTOCOL_VERISON);
        c.put("implementation", "netbook");
        c.put("implementation_version", VERSION);
        Map<String, Object> li = new LinkedHashMap<>();
        li.put("name", "java");
        li.put("version", Runtime.version().toString());
        li.put("mimetype", "text/x-java-source");
        li.put("file_extension", ".jshell");
        li.put("pygments_lexer", "java");
        li.put("codemirror_mode", "text/x-java");
        c.put("language_info", li);
        c.put("banner", "Netbook " + VERSION + " (Java " + Runtime.version() + ", JShell in process)\n"
                + "Magics: %classpath %time %%time %load %vars %lsmagic");
        c.put("help_links", List.of(
                Map.of("text", "Netbook notebooks", "url", "https://github.com/"),
                Map.of("text", "JShell", "url", "https://docs.oracle.com/en/java/javase/17/jshell/")));
        reply(env, MessageType.KERNEL_INFO_REPLY, c);
        env.setStatusIdle();
        Kernel.trace("kernel_info_reply sent");
    }

    @Override
    protected void handleCompleteRequest(ShellReplyEnvironment env, Message<CompleteRequest> message) {
        env.setStatusBusy();
        CompleteRequest req = message.getContent();
        String code = req.getCode();
        int cursor = Math.min(req.getCursorPos(), code.length());
        Map<String, Object> c = ok();
        int lineStart = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        if (cursor == 0) {
            lineStart = 0;
        }
        Matcher m = MAGIC_PREFIX.matcher(code.substring(lineStart, cursor));
        try {
            if (m.matches()) {
                String prefix = m.group(3);
                List<String> names = new ArrayList<>();
                for (String n : m.group(2).equals("%%") ? List.of("time") : List.copyOf(Magics.HELP.keySet())) {
                    if (n.startsWith(prefix)) {
                        names.add(n);
                    }
                }
                c.put("matches", names);
                c.put("cursor_start", cursor - prefix.length());
                c.put("cursor_end", cursor);
            } else {
                Session.Matches sm = session().complete(code, cursor);
                c.put("matches", sm.matches());
                c.put("cursor_start", sm.start());
                c.put("cursor_end", sm.end());
            }
        } catch (RuntimeException e) {
            c.put("matches", List.of());
            c.put("cursor_start", cursor);
            c.put("cursor_end", cursor);
        }
        c.put("metadata", Map.of());
        reply(env, MessageType.COMPLETE_REPLY, c);
        env.setStatusIdle();
    }

    @Override
    protected void handleInspectRequest(ShellReplyEnvironment env, Message<InspectRequest> message) {
        env.setStatusBusy();
        InspectRequest req = message.getContent();
        Map<String, Object> c = ok();
        List<String> docs;
        try {
            docs = session().documentation(req.getCode(), Math.min(req.getCursorPos(), req.getCode().length()), req.getDetailLevel() > 0);
        } catch (RuntimeException e) {
            docs = List.of();
        }
        c.put("found", !docs.isEmpty());
        c.put("data", docs.isEmpty() ? Map.of() : Map.of("text/plain", String.join("\n\n", docs)));
        c.put("metadata", Map.of());
        reply(env, MessageType.INSPECT_REPLY, c);
        env.setStatusIdle();
    }

    @Override
    protected void handleIsCodeCompeteRequest(ShellReplyEnvironment env, Message<IsCompleteRequest> message) {
        env.setStatusBusy();
        Session.Completion r = session().isComplete(message.getContent().getCode());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", r.status());
        if (r.status().equals("incomplete")) {
            c.put("indent", r.indent());
        }
        reply(env, MessageType.IS_COMPLETE_REPLY, c);
        env.setStatusIdle();
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        env.setStatusBusy();
        HistoryRequest req = message.getContent();
        List<Object[]> entries;
        synchronized (history) {
            entries = new ArrayList<>(history);
        }
        if (req instanceof HistoryRequest.Tail tail) {
            int n = tail.getMaxReturnLength();
            entries = entries.subList(Math.max(0, entries.size() - n), entries.size());
        } else if (req instanceof HistoryRequest.Range range) {
            int start = range.getStart();
            int stop = range.getStop();
            entries = entries.stream().filter(e -> (int) e[0] >= start && (stop <= 0 || (int) e[0] < stop)).toList();
        } else if (req instanceof HistoryRequest.Search search) {
            String regex = globToRegex(search.getPattern());
            entries = entries.stream().filter(e -> ((String) e[1]).matches(regex)).toList();
            if (search.filterUnique()) {
                Map<String, Object[]> unique = new LinkedHashMap<>();
                entries.forEach(e -> {
                    unique.remove((String) e[1]);
                    unique.put((String) e[1], e);
                });
                entries = new ArrayList<>(unique.values());
            }
            int n = search.getMaxReturnLength();
            if (n > 0) {
                entries = entries.subList(Math.max(0, entries.size() - n), entries.size());
            }
        }
        List<Object> out = new ArrayList<>();
        for (Object[] e : entries) {
            Object io = req.includeOutput() ? List.of(e[1], e[2] == null ? "" : e[2]) : e[1];
            out.add(List.of(1, e[0], io));
        }
        Map<String, Object> c = ok();
        c.put("history", out);
        reply(env, MessageType.HISTORY_REPLY, c);
        env.setStatusIdle();
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder("(?s)");
        for (char ch : glob.toCharArray()) {
            sb.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return sb.toString();
    }

    private void handleCommInfoRequest(ShellReplyEnvironment env, Message<CommInfoRequest> message) {
        env.setStatusBusy();
        String target = message.getContent().getTargetName();
        Map<String, Object> comms = new LinkedHashMap<>();
        for (Comm comm : commManager) {
            if (target == null || target.equals(comm.getTargetName())) {
                comms.put(comm.getID(), Map.of("target_name", comm.getTargetName()));
            }
        }
        Map<String, Object> c = ok();
        c.put("comms", comms);
        reply(env, MessageType.COMM_INFO_REPLY, c);
        env.setStatusIdle();
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setStatusBusy();
        interrupt();
        reply(env, MessageType.INTERRUPT_REPLY, ok());
        env.setStatusIdle();
    }

    @Override
    protected void handleShutdownRequest(ShellReplyEnvironment env, Message<ShutdownRequest> message) {
        env.setStatusBusy();
        boolean restart = message.getContent().isRestart();
        Map<String, Object> c = ok();
        c.put("restart", restart);
        reply(env, MessageType.SHUTDOWN_REPLY, c);
        env.setStatusIdle();
        onShutdown(restart);
        env.markForShutdown();
    }

    @Override
    public void onShutdown(boolean restarting) {
        if (session.isDone() && session().isRunning()) {
            session().stop();
        }
        super.onShutdown(restarting);
    }

    // ----- cell streams -----

    /**
     * A cell left running after an interrupt (a JDK without Thread.stop) ends at its next output;
     * without this its prints would land in whichever cell runs next.
     */
    private void stopIfAbandoned() {
        if (session.isDone() && !session.isCompletedExceptionally() && session.join().isAbandoned(Thread.currentThread())) {
            throw new LiveExecution.Abandoned();
        }
    }

    /**
     * What the cell writes to System.out or System.err. A flush (println flushes) publishes at once
     * when the last message went out {@link #COALESCE_MS} ago or more; otherwise the text waits
     * and a timer publishes it at that mark, so a print loop sends about 20 messages a second
     * instead of one per line. Past the cell's output limit, bytes are counted, not kept.
     */
    private final class CellStream extends OutputStream {
        private final PublishStream.StreamType type;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        private long lastSent;
        private boolean tickPending;
        private long shown;
        long dropped;
        long droppedLines;

        CellStream(PublishStream.StreamType type) {
            this.type = type;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            stopIfAbandoned();
            if (current == null) {
                buffer.write(b, off, len); // outside a cell: the process's own streams, no cap
                return;
            }
            long room = Math.max(0, outputLimit - shown - buffer.size());
            int keep = (int) Math.min(len, room);
            buffer.write(b, off, keep);
            if (keep < len) {
                dropped += len - keep;
                for (int i = off + keep; i < off + len; i++) if (b[i] == '\n') droppedLines++;
            }
        }

        @Override
        public synchronized void flush() {
            stopIfAbandoned();
            if (buffer.size() == 0) return;
            long now = System.nanoTime();
            long waited = (now - lastSent) / 1_000_000L;
            if (current == null || waited >= COALESCE_MS) {
                send();
            } else if (!tickPending) {
                tickPending = true;
                ticker.schedule(this::tick, COALESCE_MS - waited, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void tick() {
            tickPending = false;
            send();
        }

        /** Publishes whatever is buffered now. */
        synchronized void drain() {
            send();
        }

        synchronized void newCell() {
            shown = 0;
            dropped = 0;
            droppedLines = 0;
        }

        private void send() {
            if (buffer.size() == 0) return;
            String text = buffer.toString(StandardCharsets.UTF_8);
            shown += buffer.size();
            buffer.reset();
            lastSent = System.nanoTime();
            ShellReplyEnvironment env = current;
            if (env != null) {
                NetbookKernel.this.send(env, new PublishStream(type, text));
            } else {
                (type == PublishStream.StreamType.OUT ? processOut : processErr).print(text);
            }
        }
    }

    /** Standard input of a cell: asks the front end for a line (input_request) when it allows it. */
    private final class CellInput extends InputStream {
        private byte[] line = new byte[0];
        private int pos;

        @Override
        public synchronized int read() {
            if (pos >= line.length) {
                ShellReplyEnvironment env = current;
                if (env == null || !stdinAllowed) {
                    return -1;
                }
                drainStreams();
                try {
                    awaitOutputSent(); // the prompt's text first
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                line = (env.readFromStdIn("") + "\n").getBytes(StandardCharsets.UTF_8);
                pos = 0;
            }
            return line[pos++] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int first = read();
            if (first < 0) {
                return -1;
            }
            b[off] = (byte) first;
            int n = 1;
            while (n < len && pos < line.length) {
                b[off + n++] = line[pos++];
            }
            return n;
        }
    }
}
