package netbook.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The warm-up that records the kernel's class archive drives a real kernel over ZeroMQ; when that
 * kernel never answers, the recording must end with the reason (which request, which port), not
 * wait for a reply that will not come.
 */
class WarmupClientTest {
    private static KernelConnectionProperties nobodyListening(int port) {
        return new KernelConnectionProperties("127.0.0.1", port, port, port, port, port, "tcp", "hmac-sha256", "k");
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(20)
    void aRequestNobodyAnswersFailsAfterItsDeadlineNamingTheRequestAndPort() throws Exception {
        int port = freePort();
        org.zeromq.ZMQ.Context ctx = org.zeromq.ZMQ.context(1);
        try (Kernel.WarmupClient client = new Kernel.WarmupClient(ctx, nobodyListening(port), port, () -> null, 500)) {
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.request(new KernelInfoRequest()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.getMessage().contains("no reply to kernel_info_request on port " + port + " within 0.5 s"), e.getMessage());
            assertTrue(seconds >= 0.5 && seconds < 10, seconds + " s");
        } finally {
            ctx.close();
        }
    }

    @Test
    @Timeout(20)
    void aKernelThatFailedToStartEndsTheWaitAtOnceWithItsReason() throws Exception {
        int port = freePort();
        org.zeromq.ZMQ.Context ctx = org.zeromq.ZMQ.context(1);
        Throwable bindFailed = new java.net.BindException("Address already in use");
        try (Kernel.WarmupClient client = new Kernel.WarmupClient(ctx, nobodyListening(port), port, () -> bindFailed, 60_000)) {
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.request(new KernelInfoRequest()));
            assertTrue(e.getMessage().contains("failed before it answered kernel_info_request") && e.getMessage().contains("Address already in use"),
                    e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1e9 < 10, "did not wait for the 60 s deadline");
        } finally {
            ctx.close();
        }
    }
}
