package netbook.vq;

import static netbook.dsl.Layers.conv;
import static netbook.dsl.Layers.relu;
import static netbook.vq.Vq.causalAttention;
import static netbook.vq.Vq.gated;
import static netbook.vq.Vq.maskedConv;
import static netbook.vq.Vq.pixelCnnInput;
import static netbook.vq.Vq.stackOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import java.util.Random;
import java.util.function.IntPredicate;
import netbook.dsl.Net;
import netbook.internal.djl.Compiled;
import org.junit.jupiter.api.Test;

/**
 * Autoregressive layers never look ahead: changing the input at raster position p never changes
 * the output at an earlier position (nor at p itself where the layer must exclude it).
 */
class CausalityTest {
    private static final int H = 5;
    private static final int W = 6;

    /** Output planes of {@code net} for input {@code x} (batch 1), as [position][values]. */
    private static float[][] outputs(Compiled c, float[] x, int planeSize) {
        NDArray in = c.manager().create(x, new ai.djl.ndarray.types.Shape(c.net().inputShape().withBatch(1)));
        float[] y = c.forward(in, false).head().toFloatArray();
        int per = y.length / planeSize;
        float[][] byPos = new float[planeSize][per];
        for (int k = 0; k < per; k++) {
            for (int p = 0; p < planeSize; p++) byPos[p][k] = y[k * planeSize + p];
        }
        return byPos;
    }

    /**
     * For every position p: perturb the input there (through {@code perturb}) and check which output
     * positions moved. {@code mayChange.test(q - p)}... expressed as: q must be unchanged when
     * {@code q < p} (and when {@code q == p} unless {@code selfAllowed}). Returns how many
     * (p, q > p) pairs changed, to show the layer is not trivially constant.
     */
    private static int checkCausal(Net net, float[] base, java.util.function.BiConsumer<float[], Integer> perturb, boolean selfAllowed) {
        Engine.getInstance().setRandomSeed(7);
        int plane = H * W;
        int changedLater = 0;
        try (Compiled c = Compiled.of(net, Device.cpu(), 1)) {
            float[][] ref = outputs(c, base, plane);
            for (int p = 0; p < plane; p++) {
                float[] x = base.clone();
                perturb.accept(x, p);
                float[][] out = outputs(c, x, plane);
                for (int q = 0; q < plane; q++) {
                    boolean same = java.util.Arrays.equals(ref[q], out[q]);
                    if (q < p || (q == p && !selfAllowed)) {
                        assertTrue(same, net.name() + ": changing position " + p + " changed the output at " + q);
                    } else if (!same && q > p) {
                        changedLater++;
                    }
                }
            }
        }
        return changedLater;
    }

    private static float[] randomCodes(int planes, int codes, long seed) {
        Random r = new Random(seed);
        float[] x = new float[planes * H * W];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(codes);
        return x;
    }

    @Test
    void maskedConvolutionAExcludesTheCurrentPositionAndBIncludesIt() {
        float[] base = new float[2 * H * W];
        Random r = new Random(1);
        for (int i = 0; i < base.length; i++) base[i] = (float) r.nextGaussian();
        java.util.function.BiConsumer<float[], Integer> bump = (x, p) -> { x[p] += 1; x[H * W + p] -= 1; };
        Net a = Net.input(2, H, W).named("maskA").add(maskedConv(4, 5, 'A'), relu(), maskedConv(3, 3, 'B'));
        assertTrue(checkCausal(a, base, bump, false) > 0);
        Net b = Net.input(2, H, W).named("maskB").add(maskedConv(4, 3, 'B'));
        assertTrue(checkCausal(b, base, bump, true) > 0);
        float[] maskA = new MaskedConv2d(1, 3, 'A', true).mask();
        float[] maskB = new MaskedConv2d(1, 3, 'B', true).mask();
        assertEquals("[1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]", java.util.Arrays.toString(maskA));
        assertEquals("[1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]", java.util.Arrays.toString(maskB));
    }

    @Test
    void gatedStackWithAttentionNeverSeesTheCurrentOrLaterCodes() {
        Net prior = Net.input(1, H, W).named("gated").add(pixelCnnInput(8, 8), gated(7).maskA(), gated(3), gated(3),
                causalAttention(2), gated(3), stackOutput(), relu(), conv(8, 1));
        int changed = checkCausal(prior, randomCodes(1, 8, 3), (x, p) -> x[p] = (x[p] + 3) % 8, false);
        assertTrue(changed > 0);
    }

    @Test
    void gatedStackHasNoBlindSpot() {
        Engine.getInstance().setRandomSeed(11);
        Net prior = Net.input(1, H, W).named("gated").add(pixelCnnInput(8, 8), gated(3).maskA(), gated(3), gated(3),
                stackOutput(), conv(8, 1));
        float[] base = randomCodes(1, 8, 5);
        try (Compiled c = Compiled.of(prior, Device.cpu(), 1)) {
            float[][] ref = outputs(c, base, H * W);
            // the PixelCNN blind spot of stacked masked 3x3 convs: up and to the right of the target
            int target = 3 * W + 1;
            int upRight = 2 * W + 4;
            float[] x = base.clone();
            x[upRight] = (x[upRight] + 1) % 8;
            float[][] out = outputs(c, x, H * W);
            assertTrue(!java.util.Arrays.equals(ref[target], out[target]), "position (3, 1) must see (2, 4)");
        }
    }

    @Test
    void conditionalGatedStackIsCausalInTheCodesButNotInTheCondition() {
        Net prior = Net.input(2, H, W).named("conditional").add(pixelCnnInput(8, 8).conditionedOn(4, 1),
                gated(7).maskA(), gated(3), causalAttention(2), stackOutput(), conv(8, 1));
        float[] base = randomCodes(2, 4, 9);
        assertTrue(checkCausal(prior, base, (x, p) -> x[p] = (x[p] + 1) % 4, false) > 0);
        Engine.getInstance().setRandomSeed(7);
        try (Compiled c = Compiled.of(prior, Device.cpu(), 1)) {
            float[][] ref = outputs(c, base, H * W);
            float[] x = base.clone();
            x[H * W + H * W - 1] = (x[H * W + H * W - 1] + 1) % 4;   // the condition at the last position
            float[][] out = outputs(c, x, H * W);
            int last = H * W - 1;
            assertTrue(!java.util.Arrays.equals(ref[last], out[last]), "a position sees its own condition");
            assertTrue(!java.util.Arrays.equals(ref[last - 1], out[last - 1]), "the condition is not masked: an earlier position sees a later condition");
        }
    }

    @Test
    void causalAttentionAloneLooksOnlyBackward() {
        // The stream (2, C, H, W) directly: perturb the horizontal stack at p (all channels).
        int ch = 4;
        Net att = Net.input(2, ch, H, W).named("attention").add(causalAttention(2), stackOutput());
        float[] base = new float[2 * ch * H * W];
        Random r = new Random(2);
        for (int i = 0; i < base.length; i++) base[i] = (float) r.nextGaussian();
        int changed = checkCausal(att, base, (x, p) -> {
            for (int k = 0; k < ch; k++) x[(ch + k) * H * W + p] += 1;
        }, true);
        assertTrue(changed > 0);
    }
}
