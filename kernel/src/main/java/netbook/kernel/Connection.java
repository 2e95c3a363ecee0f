package netbook.kernel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The kernel's sockets, bound where the connection file says. jjava's shell and control loops
 * poll and then sleep 50 ms, and its heartbeat sleeps 500 ms; here each of the three has a thread
 * blocked in {@code poll} that wakes as soon as a message arrives. IOPub and stdin are jjava's.
 * Messages are signed with the connection file's key by jjava's socket code; shell and control
 * messages are verified here, comparing signatures in constant time (jjava compares strings,
 * which returns at the first differing byte and so leaks how much of a forged signature is right).
 * Problems go to the kernel's log (the process's standard error), never into a running cell.
 */
final class Connection extends JupyterConnection {
    /** How often the blocked loops look at the shutdown flag; messages never wait for it. */
    private static final int POLL_MS = 200;

    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final BlockingChannel shell;
    private final BlockingChannel control;
    private final Thread heartbeat;
    private volatile boolean open = true;

    Connection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        HMACGenerator hmac = props.createHMACGenerator();
        this.shell = new BlockingChannel(context, hmac, false, this, "netbook-shell");
        this.control = new BlockingChannel(context, hmac, true, this, "netbook-control");
        this.heartbeat = new Thread(this::heartbeatLoop, "netbook-heartbeat");
        this.heartbeat.setDaemon(true);
    }

    @Override
    public void connect() {
        iopub.bind(props);
        stdin.bind(props);
        shell.bind(props);
        control.bind(props);
        heartbeat.start();
        getIOPub().sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
    }

    /** Asks the loops to end; {@link #waitUntilClose()} then closes the sockets. */
    @Override
    public void close() {
        open = false;
    }

    @Override
    public void waitUntilClose() {
        for (Thread t : List.of(shell.thread, control.thread, heartbeat)) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        super.close();
        context.close();
    }

    private void heartbeatLoop() {
        ZMQ.Socket hb = context.socket(SocketType.REP);
        hb.setLinger(0);
        hb.bind(props.getTransport() + "://" + props.getIp() + ":" + props.getHbPort());
        ZMQ.Poller poller = context.poller(1);
        poller.register(hb, ZMQ.Poller.POLLIN);
        while (open) {
            if (poller.poll(POLL_MS) > 0) {
                byte[] ping = hb.recv(ZMQ.DONTWAIT);
                if (ping != null) {
                    hb.send(ping);
                }
            }
        }
        poller.close();
        hb.close();
    }

    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    /** The HMAC of a message against the signature frame it came with, in time independent of where they differ. */
    static boolean signatureMatches(String expected, byte[] received) {
        return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), received);
    }

    /** jjava's message Gson (its type adapters for headers and message types), read once. */
    private static final class Gsons {
        static final com.google.gson.Gson GSON;
        static final java.lang.reflect.Type MAP = new com.google.gson.reflect.TypeToken<java.util.Map<String, Object>>() {}.getType();

        static {
            try {
                java.lang.reflect.Field f = org.dflib.jjava.jupyter.channels.JupyterSocket.class.getDeclaredField("gson");
                f.setAccessible(true);
                GSON = (com.google.gson.Gson) f.get(null);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** A shell or control socket served by its own thread, blocked in poll between messages. */
    private static final class BlockingChannel extends ShellChannel {
        private final Connection connection;
        private final String name;
        private final boolean isControl;
        final Thread thread;

        BlockingChannel(ZMQ.Context ctx, HMACGenerator hmac, boolean isControl, Connection connection, String name) {
            super(ctx, hmac, isControl, connection);
            this.connection = connection;
            this.name = name;
            this.isControl = isControl;
            this.thread = new Thread(this::loop, name);
        }

        @Override
        public void bind(KernelConnectionProperties p) {
            int port = isControl ? p.getControlPort() : p.getShellPort();
            bind(JupyterSocket.formatAddress(p.getTransport(), p.getIp(), port));
            thread.start();
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void loop() {
            ZMQ.Poller poller = ctx.poller(1);
            poller.register(this, ZMQ.Poller.POLLIN);
            while (connection.open) {
                if (poller.poll(POLL_MS) <= 0) {
                    continue;
                }
                Message<?> message;
                try {
                    message = readMessage();
                } catch (RuntimeException e) {
                    Kernel.PROCESS_ERR.println(name + ": dropped a message: " + e.getMessage());
                    continue;
                }
                ShellHandler handler = connection.getHandler(message.getHeader().getType());
                if (handler == null) {
                    Kernel.PROCESS_ERR.println(name + ": no handler for " + message.getHeader().getType().getName());
                    continue;
                }
                ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
                try {
                    handler.handle(env, message);
                } catch (Exception e) {
                    Kernel.PROCESS_ERR.println(name + ": error handling " + message.getHeader().getType().getName() + ": " + e);
                } finally {
                    env.resolveDeferrals();
                }
                if (env.isMarkedForShutdown()) {
                    connection.close();
                }
            }
            poller.close();
            setLinger(1000);
            super.close();
        }

        /** jjava's readMessage with the signature compared by {@link #signatureMatches}. */
        @Override
        public synchronized Message<?> readMessage() {
            if (closed) return null;
            List<byte[]> identities = new java.util.ArrayList<>();
            byte[] frame = recv();
            while (!java.util.Arrays.equals(DELIMITER, frame)) {
                identities.add(frame);
                frame = recv();
            }
            byte[] signature = recv();
            byte[] header = recv();
            byte[] parent = recv();
            byte[] metadata = recv();
            byte[] content = recv();
            List<byte[]> blobs = new java.util.ArrayList<>();
            while (hasReceiveMore()) blobs.add(recv());
            String expected = hmacGenerator.calculateSignature(header, parent, metadata, content);
            if (expected != null && !signatureMatches(expected, signature)) {
                throw new SecurityException("Message received had invalid signature");
            }
            com.google.gson.Gson gson = Gsons.GSON;
            org.dflib.jjava.jupyter.messages.Header<?> h = gson.fromJson(new String(header, StandardCharsets.UTF_8),
                    org.dflib.jjava.jupyter.messages.Header.class);
            org.dflib.jjava.jupyter.messages.Header<?> parentHeader = null;
            com.google.gson.JsonElement p = com.google.gson.JsonParser.parseString(new String(parent, StandardCharsets.UTF_8));
            if (p.isJsonObject() && !p.getAsJsonObject().isEmpty()) {
                parentHeader = gson.fromJson(p, org.dflib.jjava.jupyter.messages.Header.class);
            }
            java.util.Map<String, Object> meta = gson.fromJson(new String(metadata, StandardCharsets.UTF_8), Gsons.MAP);
            Object body = gson.fromJson(new String(content, StandardCharsets.UTF_8), h.getType().getContentType());
            return new Message(identities, h, parentHeader, meta, body, blobs);
        }

        @Override
        public void close() {
            // The loop thread closes its own socket when the connection closes.
        }

        @Override
        public void waitUntilClose() {
            // See Connection.waitUntilClose.
        }
    }
}
