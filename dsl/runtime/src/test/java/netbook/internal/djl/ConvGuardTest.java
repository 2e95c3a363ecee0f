package netbook.internal.djl;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.Shape;
import netbook.vq.Vq;
import org.junit.jupiter.api.Test;

/**
 * The guard's padded convolution against a float64 convolution computed here with plain loops
 * (forward, input gradient, weight gradient, bias gradient), with the guard forced on, so these
 * tests check the padded path on any CPU; and the defect's reproduction (NaN left in reused memory)
 * through Netbook's own layers.
 */
class ConvGuardTest {

    /** One case: (N, groups*cin, H, W) input, groups*cout filters of k x k. */
    private record Case(int cin, int cout, int groups, int k, int stride, int pad, int dilation) {}

    /**
     * AVX-512's block of 16 on every CPU (16 is a multiple of AVX2's 8), and AVX2's 8 wherever the
     * guard uses it: a CPU without AVX-512, or one whose oneDNN is held to AVX2. With AVX-512
     * kernels a padding of 8 leaves the very tail the guard exists to remove (seen on an AMD EPYC
     * Zen 5: wrong input gradients for 4 output channels padded to 8), and the guard never uses it there.
     */
    @Test
    void tensorsOnAGpuAreNeverPadded() {
        // cuDNN has no such defect; on a machine with a GPU the guard still covers CPU tensors.
        assertFalse(ConvGuard.appliesTo(ai.djl.Device.gpu(0)));
        assertTrue(ConvGuard.appliesTo(ai.djl.Device.cpu()));
    }

    @Test
    void paddedConvolutionMatchesFloat64ReferenceForEveryChannelCount() throws Exception {
        int[] blocks = ConvGuard.block() == 16 ? new int[] {16} : new int[] {16, 8};
        for (int block : blocks) {
            long before = ConvGuard.guardedCalls();
            int expectedGuarded = 0;
            for (int cin : new int[] {4, 8, 12, 24, 40}) {
                for (int cout : new int[] {4, 8, 12, 24, 40, 32}) {
                    compare(new Case(cin, cout, 1, 3, 1, 1, 1), block);
                    if (ConvGuard.paddedInputChannels(cin, block) != cin || ConvGuard.paddedOutputChannels(cout, block) != cout) expectedGuarded++;
                }
            }
            // Strides, dilations, factorised kernels, groups and 1x1.
            for (Case c : new Case[] {
                    new Case(24, 36, 1, 3, 2, 1, 1), new Case(40, 12, 1, 3, 1, 2, 2), new Case(20, 20, 2, 3, 1, 1, 1),
                    new Case(20, 12, 2, 1, 1, 0, 1), new Case(48, 4, 1, 1, 1, 0, 1)}) {
                compare(c, block);
                expectedGuarded++;
            }
            assertEquals(expectedGuarded, ConvGuard.guardedCalls() - before,
                    "block " + block + ": every convolution with a channel tail must take the padded path");
        }
    }

    @Test
    void channelCountsArePaddedToTheBlockOnlyWhereNeeded() {
        assertEquals(4, ConvGuard.paddedInputChannels(4, 16));     // first-layer inputs: read unblocked
        assertEquals(8, ConvGuard.paddedInputChannels(8, 16));
        assertEquals(16, ConvGuard.paddedInputChannels(12, 16));
        assertEquals(16, ConvGuard.paddedInputChannels(12, 8));
        assertEquals(32, ConvGuard.paddedInputChannels(24, 16));
        assertEquals(24, ConvGuard.paddedInputChannels(24, 8));
        assertEquals(48, ConvGuard.paddedInputChannels(40, 16));
        assertEquals(16, ConvGuard.paddedOutputChannels(8, 16));
        assertEquals(8, ConvGuard.paddedOutputChannels(4, 8));
        assertEquals(32, ConvGuard.paddedOutputChannels(24, 16));
        assertEquals(64, ConvGuard.paddedOutputChannels(64, 16));
        assertEquals(ConvGuard.cpuHasAvx512() && !ConvGuard.oneDnnHeldBelowAvx512(System.getenv()) ? 16 : 8, ConvGuard.block());
        assertTrue(ConvGuard.oneDnnHeldBelowAvx512(java.util.Map.of("ONEDNN_MAX_CPU_ISA", "AVX2")));
        assertTrue(ConvGuard.oneDnnHeldBelowAvx512(java.util.Map.of("DNNL_MAX_CPU_ISA", "avx2_vnni")));
        assertFalse(ConvGuard.oneDnnHeldBelowAvx512(java.util.Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE")));
        assertFalse(ConvGuard.oneDnnHeldBelowAvx512(java.util.Map.of()));
    }

    private static void compare(Case c, int block) {
        int n = 2;
        int h = 6;
        int w = 5;
        Random rnd = new Random(c.hashCode());
        int cinT = c.cin() * c.groups();
        int coutT = c.cout() * c.groups();
        double[] x = gaussian(rnd, n * cinT * h * w);
        double[] wt = gaussian(rnd, coutT * c.cin() * c.k() * c.k());
        double[] b = gaussian(rnd, coutT);
        int ho = (h + 2 * c.pad() - c.dilation() * (c.k() - 1) - 1) / c.stride() + 1;
        int wo = (w + 2 * c.pad() - c.dilation() * (c.k() - 1) - 1) / c.stride() + 1;
        double[] r = gaussian(rnd, n * coutT * ho * wo); // loss = sum(y * r), so dL/dy = r

        double[] y = new double[n * coutT * ho * wo];
        double[] dx = new double[x.length];
        double[] dw = new double[wt.length];
        double[] db = new double[b.length];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < coutT; o++) {
                int g = o / c.cout();
                for (int p = 0; p < ho; p++)
                    for (int q = 0; q < wo; q++) {
                        int yi = ((i * coutT + o) * ho + p) * wo + q;
                        double s = b[o];
                        for (int ci = 0; ci < c.cin(); ci++)
                            for (int u = 0; u < c.k(); u++)
                                for (int v = 0; v < c.k(); v++) {
                                    int hh = p * c.stride() - c.pad() + u * c.dilation();
                                    int ww = q * c.stride() - c.pad() + v * c.dilation();
                                    if (hh < 0 || hh >= h || ww < 0 || ww >= w) continue;
                                    int xi = ((i * cinT + g * c.cin() + ci) * h + hh) * w + ww;
                                    int wi = ((o * c.cin() + ci) * c.k() + u) * c.k() + v;
                                    s += x[xi] * wt[wi];
                                    dx[xi] += r[yi] * wt[wi];
                                    dw[wi] += r[yi] * x[xi];
                                }
                        y[yi] = s;
                        db[o] += r[yi];
                    }
            }

        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xa = m.create(floats(x), new ai.djl.ndarray.types.Shape(n, cinT, h, w));
            NDArray wa = m.create(floats(wt), new ai.djl.ndarray.types.Shape(coutT, c.cin(), c.k(), c.k()));
            NDArray ba = m.create(floats(b), new ai.djl.ndarray.types.Shape(coutT));
            NDArray ra = m.create(floats(r), new ai.djl.ndarray.types.Shape(n, coutT, ho, wo));
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            ba.setRequiresGradient(true);
            NDArray ya;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ya = ConvGuard.padded(xa, wa, ba, new ai.djl.ndarray.types.Shape(c.stride(), c.stride()),
                        new ai.djl.ndarray.types.Shape(c.pad(), c.pad()), new ai.djl.ndarray.types.Shape(c.dilation(), c.dilation()),
                        c.groups(), block);
                gc.backward(ya.mul(ra).sum());
            }
            String what = c + " block " + block;
            close(what + " output", y, ya.toFloatArray());
            close(what + " input gradient", dx, xa.getGradient().toFloatArray());
            close(what + " weight gradient", dw, wa.getGradient().toFloatArray());
            close(what + " bias gradient", db, ba.getGradient().toFloatArray());
        }
    }

    private static void close(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-4 * Math.max(1, Math.abs(expected[i]));
            double got = actual[i];
            if (!(Math.abs(got - expected[i]) <= tol)) {
                throw new AssertionError(what + " differs at " + i + ": float64 " + expected[i] + ", engine " + got);
            }
        }
    }

    private static double[] gaussian(Random rnd, int size) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) a[i] = rnd.nextGaussian();
        return a;
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        for (int i = 0; i < a.length; i++) a[i] = f[i]; // the reference uses the same rounded inputs
        return f;
    }

    /**
     * The reproduction of the defect, through Netbook's layers: NaN left in memory the allocator
     * hands back, then forward and backward of convolutions with channel tails (the shapes that
     * gave NaN on an AVX-512 CPU), a transposed convolution to one channel (the VQ decoder's last
     * layer) and a masked convolution (the priors). Outputs, input gradients and every parameter
     * gradient must be finite.
     */
    @Test
    void poisonedMemoryGivesFiniteOutputsAndGradientsThroughNetbookLayers() throws Exception {
        Object[][] cases = {
                {Shape.of(24, 7, 7), conv(32, 3).padding(1)},
                {Shape.of(40, 7, 7), conv(16, 3).padding(1)},
                {Shape.of(16, 7, 7), conv(8, 3).padding(1)},
                {Shape.of(32, 7, 7), conv(24, 3).padding(1)},
                {Shape.of(24, 7, 7), conv(24, 1)},
                {Shape.of(32, 7, 7), convTranspose(1, 4).stride(2).padding(1)},
                {Shape.of(24, 7, 7), Vq.maskedConv(24, 5, 'A')},
        };
        long before = ConvGuard.guardedCalls();
        // AVX-512's block of 16 on any CPU: these shapes have tails there.
        try (AutoCloseable on = ConvGuard.force(true); AutoCloseable b = ConvGuard.forceBlock(16)) {
            for (Object[] c : cases) {
                poisonedStep((Shape) c[0], (Layer) c[1]);
            }
        }
        assertTrue(ConvGuard.guardedCalls() - before >= cases.length, "each case must go through the padded path");
    }

    private static void poisonedStep(Shape in, Layer layer) {
        Net net = Net.input(in.dim(0), in.dim(1), in.dim(2)).add(layer);
        Block block = Compiler.compile(net);
        try (NDManager m = NDManager.newBaseManager()) {
            block.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(64)));
            NDArray x = ai.djl.nn.Activation.relu(m.randomNormal(new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(64))));
            x.setRequiresGradient(true);
            for (int k = 0; k < 8; k++) {
                try (NDArray poison = m.full(new ai.djl.ndarray.types.Shape(64, 48, 7, 7), Float.NaN)) {
                    poison.toFloatArray();
                }
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(m, false), new NDList(x), true).head();
                assertEquals(0, Trace.nonFinite(y), layer + " on " + in + ": non-finite outputs");
                gc.backward(y.square().mean());
            }
            assertEquals(0, Trace.nonFinite(x.getGradient()), layer + ": non-finite input gradient");
            for (Pair<String, Parameter> p : block.getParameters()) {
                assertEquals(0, Trace.nonFinite(p.getValue().getArray().getGradient()), layer + ": non-finite gradient of " + p.getKey());
            }
        }
    }

    @Test
    void anUnknownModeIsAClearError() {
        String old = System.getProperty("netbook.convGuard");
        try {
            System.setProperty("netbook.convGuard", "sometimes");
            var e = assertThrows(netbook.dsl.NetbookException.class, ConvGuard::decide);
            assertTrue(e.getMessage().contains("auto, on or off"), e.getMessage());
            System.setProperty("netbook.convGuard", "on");
            assertTrue(ConvGuard.decide().on());
            System.setProperty("netbook.convGuard", "off");
            assertTrue(!ConvGuard.decide().on());
        } finally {
            if (old == null) System.clearProperty("netbook.convGuard"); else System.setProperty("netbook.convGuard", old);
        }
    }
}
