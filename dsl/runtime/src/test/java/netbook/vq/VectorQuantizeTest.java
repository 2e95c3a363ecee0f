package netbook.vq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;
import org.junit.jupiter.api.Test;

/** The quantiser against numbers worked out by hand on a tiny example. */
class VectorQuantizeTest {

    private static QuantizerBlock block(NDManager m, VectorQuantize spec, Shape in, float[] codebook) {
        QuantizerBlock b = (QuantizerBlock) spec.toBlock(in);
        b.initialize(m, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(in.withBatch(1)));
        b.resetCodebook(codebook);
        return b;
    }

    /**
     * Codebook e0 = (0, 0), e1 = (1, 1); two vectors p0 = (0.2, 0.1) -> e0, p1 = (0.9, 0.6) -> e1.
     * (q - x) = (-0.2, -0.1), (0.1, 0.4): mean square 0.22 / 4 = 0.055, loss = 0.055 + 0.25 * 0.055.
     * Objective sum(out * g) + loss: d/dx = g (straight through) + 0.25 * 2 (x - q) / 4;
     * d/de_k = 2 (e_k - x assigned to k) / 4 (codebook term only).
     */
    @Test
    void nearestEntryStraightThroughGradientAndLossMatchHandComputedValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            QuantizerBlock b = block(m, VectorQuantize.of(2, 2), Shape.of(2, 1, 2), new float[] {0, 0, 1, 1});
            // (N, D, H, W) = (1, 2, 1, 2): channel 0 = (0.2, 0.9), channel 1 = (0.1, 0.6)
            NDArray x = m.create(new float[] {0.2f, 0.9f, 0.1f, 0.6f}, new ai.djl.ndarray.types.Shape(1, 2, 1, 2));
            x.setRequiresGradient(true);
            NDArray g = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(1, 2, 1, 2));
            NDList out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = b.forward(new ParameterStore(m, false), new NDList(x), true);
                gc.backward(out.get(QuantizerBlock.QUANTIZED).mul(g).sum().add(out.get(QuantizerBlock.LOSS)));
            }
            assertArrayEquals(new long[] {0, 1}, out.get(QuantizerBlock.CODES).toLongArray());
            assertArrayEquals(new float[] {0, 1, 0, 1}, out.get(QuantizerBlock.QUANTIZED).toFloatArray(), 1e-6f);
            assertEquals(0.055 * 1.25, out.get(QuantizerBlock.LOSS).getFloat(), 1e-6);
            assertEquals(2.0, out.get(QuantizerBlock.PERPLEXITY).getFloat(), 1e-5);
            assertEquals(1.0, out.get(QuantizerBlock.USAGE).getFloat(), 1e-6);
            // x - q = (0.2, -0.1, 0.1, -0.4) in (N, D, H, W) order; times 0.125
            assertArrayEquals(new float[] {1.025f, 1.9875f, 3.0125f, 3.95f}, x.getGradient().toFloatArray(), 1e-6f);
            // e0 - p0 = (-0.2, -0.1), e1 - p1 = (0.1, 0.4); times 0.5
            assertArrayEquals(new float[] {-0.1f, -0.05f, 0.05f, 0.2f}, b.codebook().getGradient().toFloatArray(), 1e-6f);
        }
    }

    /**
     * D = 1, codebook (0, 10), inputs 1, 2 -> e0 and 9 -> e1: counts (2, 1), sums (3, 9).
     * Debiased (Sonnet v2): hidden = 0.01 * value, divided by 1 - 0.99 = 0.01, so the averages are
     * the batch's own (2, 1) and (3, 9); n = 3; Laplace: cs~ = (cs + 1e-5) / (3 + 2e-5) * 3;
     * e = (3 / cs~0, 9 / cs~1) ~ (1.5, 9.0). A second identical step keeps them (debiasing).
     * Loss: 0.25 * ((1-0)^2 + (2-0)^2 + (9-10)^2) / 3 = 0.5, from the codebook before the update.
     */
    @Test
    void emaUpdateIsZeroDebiasedAndLaplaceSmoothedAsSonnet() {
        try (NDManager m = NDManager.newBaseManager()) {
            QuantizerBlock b = block(m, VectorQuantize.of(2, 1).ema(), Shape.of(1, 1, 3), new float[] {0, 10});
            NDArray x = m.create(new float[] {1, 2, 9}, new ai.djl.ndarray.types.Shape(1, 1, 1, 3));
            NDList out = b.forward(new ParameterStore(m, false), new NDList(x), true);
            assertEquals(0.5, out.get(QuantizerBlock.LOSS).getFloat(), 1e-6);
            assertArrayEquals(new long[] {0, 0, 1}, out.get(QuantizerBlock.CODES).toLongArray());
            double n = 3;
            double cs0 = (2 + 1e-5) / (n + 2e-5) * n;
            double cs1 = (1 + 1e-5) / (n + 2e-5) * n;
            float[] expected = {(float) (3 / cs0), (float) (9 / cs1)};
            assertArrayEquals(expected, b.codebook().toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {1.5f, 9f}, b.codebook().toFloatArray(), 1e-4f);
            NDArray[] state = b.emaState();
            assertArrayEquals(new float[] {0.02f, 0.01f}, state[0].toFloatArray(), 1e-7f);   // hidden cluster sizes
            assertArrayEquals(new float[] {0.03f, 0.09f}, state[1].toFloatArray(), 1e-7f);   // hidden sums
            assertEquals(1f, state[2].getFloat());
            b.forward(new ParameterStore(m, false), new NDList(x), true);
            assertArrayEquals(expected, b.codebook().toFloatArray(), 1e-4f);
            // inference changes nothing
            b.forward(new ParameterStore(m, false), new NDList(x.mul(5)), false);
            assertArrayEquals(expected, b.codebook().toFloatArray(), 1e-4f);
        }
    }

    /**
     * rosinality's form: cluster sizes start at 0 and running sums at the codebook (0, 10), no
     * debiasing: cs = 0.01 * (2, 1), sums = 0.99 * (0, 10) + 0.01 * (3, 9) = (0.03, 9.99), n = 0.03,
     * e = sums / ((cs + 1e-5) / (0.03 + 2e-5) * 0.03) = (1.50025, 998.70...): the first updates are
     * dominated by the initial codebook.
     */
    @Test
    void biasedEmaUpdateFollowsRosinality() {
        try (NDManager m = NDManager.newBaseManager()) {
            QuantizerBlock b = block(m, VectorQuantize.of(2, 1).biased(), Shape.of(1, 1, 3), new float[] {0, 10});
            NDArray x = m.create(new float[] {1, 2, 9}, new ai.djl.ndarray.types.Shape(1, 1, 1, 3));
            b.forward(new ParameterStore(m, false), new NDList(x), true);
            double n = 0.03;
            double cs0 = (0.02 + 1e-5) / (n + 2e-5) * n;
            double cs1 = (0.01 + 1e-5) / (n + 2e-5) * n;
            float[] e = b.codebook().toFloatArray();
            assertEquals(0.03 / cs0, e[0], 1e-4);
            assertEquals(9.99 / cs1, e[1], 1e-2);
            assertEquals(1.50025, e[0], 1e-4);
            assertTrue(e[1] > 998 && e[1] < 999.5, "e1 = " + e[1]);
        }
    }

    @Test
    void specCountsCodebooksAsParametersOrBuffers() {
        Shape in = Shape.of(64, 8, 8);
        assertEquals(512 * 64, VectorQuantize.of(512, 64).params(in));
        assertEquals(0, VectorQuantize.of(512, 64).ema().params(in));
        assertEquals(2 * 512 * 64 + 512 + 1, VectorQuantize.of(512, 64).ema().frozenParams(in));
        assertEquals(9.0, VectorQuantize.of(512, 64).bitsPerCode(), 1e-12);
        ShapeException e = org.junit.jupiter.api.Assertions.assertThrows(ShapeException.class,
                () -> VectorQuantize.of(512, 64).outputShape(Shape.of(128, 8, 8)));
        assertTrue(e.getMessage().contains("expected 64 channels") && e.getMessage().contains("conv(64, 1)"), e.getMessage());
    }
}
