package netbook.internal.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import netbook.dsl.NetbookException;

/**
 * Every convolution Netbook runs goes through {@link #conv2d}. On some CPUs the engine's convolution
 * (libtorch 2.5.1's oneDNN 3.5.3, AVX-512 kernels) lays channels out in blocks of 16 and reads the
 * padded tail of the last block without zeroing it: when the channel count is not a multiple of 16
 * and the allocator hands back memory that held NaN, the output or the gradients become NaN, and
 * finite garbage makes a fixed seed give different losses run to run. The guard removes the tail:
 * it pads the channels with real zeros up to a multiple of the CPU's block (zero inputs times zero
 * weights), runs the convolution, and slices the real channels back out. Parameters keep their real
 * sizes, so parameter counts, summaries and checkpoints do not change; autograd flows through the
 * padding to the real weights.
 *
 * <p>Whether the guard is on: {@code -Dnetbook.convGuard=auto|on|off} (or {@code NETBOOK_CONV_GUARD}),
 * default {@code auto}: on when a start-up probe, the reproduction of the defect on one plain
 * convolution, finds a non-finite value, or when the CPU has AVX-512 (the defect was seen there
 * even when oneDNN's ISA was capped, so a clean probe alone is not trusted on such a CPU).
 * Convolutions a user calls directly on DJL are not covered.
 */
public final class ConvGuard {
    /**
     * Channels are padded to a multiple of this: oneDNN's channel block, 16 on AVX-512 CPUs and 8
     * elsewhere, and 8 on an AVX-512 CPU whose oneDNN is held to AVX2 or below (portable numerics,
     * {@code ONEDNN_MAX_CPU_ISA}): its kernels then use blocks of 8, and padding to 16 made a
     * LeNet-5 trial a third slower for nothing.
     */
    public static int block() {
        Integer f = forcedBlock;
        return f != null ? f : cpuHasAvx512() && !oneDnnHeldBelowAvx512(System.getenv()) ? 16 : 8;
    }

    /** Whether oneDNN is held to AVX2 or below ({@code ONEDNN_MAX_CPU_ISA}, or its older name {@code DNNL_MAX_CPU_ISA}). */
    static boolean oneDnnHeldBelowAvx512(java.util.Map<String, String> env) {
        String isa = env.getOrDefault("ONEDNN_MAX_CPU_ISA", env.getOrDefault("DNNL_MAX_CPU_ISA", "")).trim().toUpperCase(Locale.ROOT);
        return isa.equals("SSE41") || isa.equals("AVX") || isa.startsWith("AVX2");
    }

    private static volatile Integer forcedBlock;

    /** Pads to multiples of {@code block} until closed, whatever the CPU (tests of the other CPU's block). */
    static AutoCloseable forceBlock(int block) {
        Integer before = forcedBlock;
        forcedBlock = block;
        return () -> forcedBlock = before;
    }

    /** What the probe found; {@code on} is the decision. */
    public record Decision(boolean on, String mode, long probeNonFinite, boolean avx512, double probeMillis) {
        /** One line for {@code ./netbook env}. */
        public String describe() {
            String probe = probeMillis < 0 ? "probe not run"
                    : String.format(Locale.ROOT, "probe: %d non-finite of the reproduction's outputs, %.0f ms", probeNonFinite, probeMillis);
            return (on ? "on, channel tails padded to multiples of " + block() : "off") + " (" + mode + "; " + probe
                    + "; CPU " + (avx512 ? "has" : "has no") + " AVX-512)";
        }
    }

    private static volatile Decision decision;
    private static volatile Boolean forced;
    private static final AtomicLong guardedCalls = new AtomicLong();

    private ConvGuard() {}

    /** Whether convolutions are padded in this process (runs the probe on first use in auto mode). */
    public static boolean active() {
        Boolean f = forced;
        return f != null ? f : decision().on();
    }

    /** The decision and the probe's findings; the probe runs once per process. */
    public static Decision decision() {
        Decision d = decision;
        if (d == null) {
            synchronized (ConvGuard.class) {
                if (decision == null) {
                    decision = decide();
                }
                d = decision;
            }
        }
        return d;
    }

    /**
     * Forces the guard on or off until the returned handle is closed (tests, benchmarks comparing
     * both paths). Not for concurrent use with training in other threads.
     */
    public static AutoCloseable force(boolean on) {
        Boolean before = forced;
        forced = on;
        return () -> forced = before;
    }

    /** How many convolutions have gone through the padded path in this process. */
    public static long guardedCalls() {
        return guardedCalls.get();
    }

    static Decision decide() {
        String mode = System.getProperty("netbook.convGuard", System.getenv().getOrDefault("NETBOOK_CONV_GUARD", "auto"))
                .trim().toLowerCase(Locale.ROOT);
        boolean avx512 = cpuHasAvx512();
        switch (mode) {
            case "on", "true" -> { return new Decision(true, "forced on by netbook.convGuard", 0, avx512, -1); }
            case "off", "false" -> { return new Decision(false, "switched off by netbook.convGuard", 0, avx512, -1); }
            case "auto", "" -> {
                long t0 = System.nanoTime();
                long bad = probe();
                double ms = (System.nanoTime() - t0) / 1e6;
                return new Decision(bad > 0 || avx512, "auto", bad, avx512, ms);
            }
            default -> throw new NetbookException("netbook.convGuard (or NETBOOK_CONV_GUARD) is auto, on or off; received '" + mode + "'");
        }
    }

    private static volatile Boolean avx512;

    /** Whether /proc/cpuinfo lists avx512f; false where it cannot be read. */
    static boolean cpuHasAvx512() {
        Boolean a = avx512;
        if (a == null) {
            avx512 = a = readAvx512();
        }
        return a;
    }

    private static boolean readAvx512() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return (" " + line + " ").contains(" avx512f ");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /**
     * The defect's reproduction, unguarded: leave NaN in memory the allocator will hand back, then
     * convolve inputs with 24 and 40 channels (not multiples of 16) and count non-finite outputs.
     * Healthy engines give 0.
     */
    public static long probe() {
        long bad = 0;
        // On the CPU: on a machine with a GPU the base manager's default device is the GPU, which has no such defect.
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Random rnd = new Random(1);
            for (int cin : new int[] {24, 40}) {
                float[] xs = new float[32 * cin * 49];
                for (int i = 0; i < xs.length; i++) xs[i] = Math.max(0f, (float) rnd.nextGaussian());
                NDArray x = m.create(xs, new Shape(32, cin, 7, 7));
                // Host-side random numbers: the engine's generator belongs to the user's seeded run.
                float[] ws = new float[32 * cin * 9];
                for (int i = 0; i < ws.length; i++) ws[i] = 0.1f * (float) rnd.nextGaussian();
                NDArray w = m.create(ws, new Shape(32, cin, 3, 3));
                for (int r = 0; r < 3; r++) {
                    for (int k = 0; k < 4; k++) {
                        try (NDArray poison = m.full(new Shape(32, 32, 7, 7), Float.NaN)) {
                            poison.toFloatArray();
                        }
                    }
                    try (NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).head()) {
                        bad += Trace.nonFinite(y);
                    }
                }
            }
        }
        return bad;
    }

    /**
     * conv2d(x, w, b) with PyTorch's layouts: x (N, groups*cin, H, W), w (groups*cout, cin, kh, kw),
     * b (groups*cout) or null. Through the padded path when the guard is on and a channel count needs it.
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
        if (!active() || !appliesTo(x.getDevice())) {
            return Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).head();
        }
        return padded(x, w, b, stride, padding, dilation, groups, block());
    }

    /**
     * The defect is in oneDNN's CPU convolution: a GPU's convolutions (cuDNN) never see the padding,
     * which there would only add work.
     */
    static boolean appliesTo(ai.djl.Device device) {
        return !device.isGpu();
    }

    /**
     * Input channels per group after padding. Up to 8 are left alone: oneDNN reads such first-layer
     * inputs unblocked, and the probes never saw a NaN there (4 channels); 9 to 15 are padded to 16
     * as they have a tail in AVX2's blocks of 8 too.
     */
    static long paddedInputChannels(long cin, int block) {
        return cin <= 8 ? cin : roundUp(cin, block);
    }

    /** Output channels per group after padding: every tail is padded (16 -> 8 gave NaN gradients). */
    static long paddedOutputChannels(long cout, int block) {
        return roundUp(cout, block);
    }

    private static long roundUp(long c, int block) {
        return (c + block - 1) / block * block;
    }

    static NDArray padded(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups, int block) {
        long g = groups;
        long cout = w.getShape().get(0) / g;
        long cin = w.getShape().get(1);
        long cinP = paddedInputChannels(cin, block);
        long coutP = paddedOutputChannels(cout, block);
        if (cinP == cin && coutP == cout) {
            return Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).head();
        }
        guardedCalls.incrementAndGet();
        Shape xs = x.getShape();
        long n = xs.get(0);
        long h = xs.get(2);
        long wd = xs.get(3);
        long kh = w.getShape().get(2);
        long kw = w.getShape().get(3);
        NDArray xp = x;
        if (cinP > cin) {
            // (N, g, cin, H, W) with zero channels appended per group.
            xp = padAxis(x.reshape(n, g, cin, h, wd), 2, cinP - cin).reshape(n, g * cinP, h, wd);
        }
        // Arrays derived from parameters belong to this step (x's manager), not to the model.
        NDArray wp = w.reshape(g, cout, cin, kh, kw);
        wp.attach(x.getManager());
        if (cinP > cin) wp = padAxis(wp, 2, cinP - cin);
        if (coutP > cout) wp = padAxis(wp, 1, coutP - cout);
        wp = wp.reshape(g * coutP, cinP, kh, kw);
        NDArray bp = b;
        if (b != null && coutP > cout) {
            bp = b.reshape(g, cout);
            bp.attach(x.getManager());
            bp = padAxis(bp, 1, coutP - cout).reshape(g * coutP);
        }
        NDArray y = Conv2d.conv2d(xp, wp, bp, stride, padding, dilation, groups).head();
        if (coutP == cout) {
            return y;
        }
        Shape ys = y.getShape();
        if (g == 1) {
            return y.get(new NDIndex(":, 0:" + cout));
        }
        return y.reshape(n, g, coutP, ys.get(2), ys.get(3)).get(new NDIndex(":, :, 0:" + cout))
                .reshape(n, g * cout, ys.get(2), ys.get(3));
    }

    /** Appends {@code extra} zero slices on {@code axis}; zeros made by the engine, so truly zero. */
    private static NDArray padAxis(NDArray a, int axis, long extra) {
        long[] d = a.getShape().getShape();
        d[axis] = extra;
        NDArray zeros = a.getManager().zeros(new Shape(d), a.getDataType(), a.getDevice());
        return NDArrays.concat(new NDList(a, zeros), axis);
    }
}
