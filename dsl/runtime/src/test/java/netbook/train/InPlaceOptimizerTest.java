package netbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-place update follows torch.optim's rules; hand-computed on w = [1, 2, 3] with loss sum(w * [1, -1, 2]). */
class InPlaceOptimizerTest {
    private static final float[] X = {1, -1, 2};

    /** Runs {@code steps} updates with a constant gradient X and returns the weights (and checks the gradient is zeroed). */
    private static float[] train(OptimizerSpec spec, int steps) {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            NDArray w = m.create(new float[] {1, 2, 3});
            w.setRequiresGradient(true);
            p.setArray(w);
            try (InPlaceOptimizer opt = InPlaceOptimizer.of(spec, List.of(new Pair<>("w", p)), m, 10, 10)) {
                for (int s = 0; s < steps; s++) {
                    try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.mul(m.create(X)).sum());
                    }
                    opt.step();
                    assertArrayEquals(new float[3], w.getGradient().toFloatArray(), "gradient zeroed after step " + (s + 1));
                }
                assertEquals(steps, opt.updates());
            }
            return w.toFloatArray();
        }
    }

    @Test
    void sgdWithMomentumKeepsAVelocityLikeTorch() {
        // buf = g, w -= 0.1 g; then buf = 0.9 g + g = 1.9 g, w -= 0.19 g
        assertArrayEquals(new float[] {0.9f, 2.1f, 2.8f}, train(Optimizers.sgd(0.1).momentum(0.9), 1), 1e-6f);
        assertArrayEquals(new float[] {0.71f, 2.29f, 2.42f}, train(Optimizers.sgd(0.1).momentum(0.9), 2), 1e-6f);
    }

    @Test
    void plainSgdWithWeightDecayAddsDecayTimesWeightToTheGradient() {
        // w -= 0.1 (g + 0.5 w)
        assertArrayEquals(new float[] {0.85f, 2.0f, 2.65f}, train(Optimizers.sgd(0.1).weightDecay(0.5), 1), 1e-6f);
    }

    @Test
    void adamWithBiasCorrectionMovesEachWeightByTheRateWhenTheGradientIsConstant() {
        // m_hat = g and v_hat = g^2 at every step, so each step moves lr * sign(g)
        assertArrayEquals(new float[] {0.9f, 2.1f, 2.9f}, train(Optimizers.adam(0.1), 1), 1e-5f);
        assertArrayEquals(new float[] {0.8f, 2.2f, 2.8f}, train(Optimizers.adam(0.1), 2), 1e-5f);
    }

    @Test
    void clippingBoundsEachGradientElementOnBothSides() {
        // g = [1, -1, 2] clipped to [-0.5, 0.5]
        assertArrayEquals(new float[] {0.95f, 2.05f, 2.95f}, train(Optimizers.sgd(0.1).clipGrad(0.5), 1), 1e-6f);
    }

    @Test
    void globalNormClippingScalesAllGradientsTogether() {
        // |g| = sqrt(1 + 1 + 4) = sqrt(6); max 1 scales g by 1 / sqrt(6) (torch adds 1e-6 to the norm)
        double s = 1 / (Math.sqrt(6) + 1e-6);
        float[] expected = {(float) (1 - 0.1 * s), (float) (2 + 0.1 * s), (float) (3 - 0.2 * s)};
        assertArrayEquals(expected, train(Optimizers.sgd(0.1).clipGradNorm(1), 1), 1e-6f);
        // a bound above the norm changes nothing
        assertArrayEquals(new float[] {0.9f, 2.1f, 2.8f}, train(Optimizers.sgd(0.1).clipGradNorm(10), 1), 1e-6f);
    }

    @Test
    void badSettingsAreRejectedWithTheOptimiserName() {
        assertEquals("sgd: clipGradNorm must be zero (off) or positive, received -1.0",
                org.junit.jupiter.api.Assertions.assertThrows(netbook.dsl.NetbookException.class,
                        () -> Optimizers.sgd(0.1).clipGradNorm(-1)).getMessage());
        assertEquals("adam: momentum is SGD's; Adam's betas are fixed at (0.9, 0.999)",
                org.junit.jupiter.api.Assertions.assertThrows(netbook.dsl.NetbookException.class,
                        () -> Optimizers.adam(1e-3).momentum(0.9)).getMessage());
    }

    @Test
    void theScheduleSetsEachStepsRate() {
        // Plain SGD with a constant gradient moves w by g times the sum of the rates used. Cosine
        // over 10 steps (torch's CosineAnnealingLR with eta_min 0): rate(t) = 0.1 (1 + cos(pi t / 10)) / 2.
        // At t = 0 it equals the constant rate, so three steps are needed to tell them apart.
        double sum = 0;
        for (int t = 0; t < 3; t++) sum += 0.1 * (1 + Math.cos(Math.PI * t / 10)) / 2;
        float[] cosine = train(Optimizers.sgd(0.1).schedule(Schedule.cosine()), 3);
        assertArrayEquals(new float[] {(float) (1 - sum), (float) (2 + sum), (float) (3 - 2 * sum)}, cosine, 1e-6f);
        float[] constant = train(Optimizers.sgd(0.1), 3);
        assertArrayEquals(new float[] {0.7f, 2.3f, 2.4f}, constant, 1e-6f);
        assertTrue(Math.abs(cosine[0] - constant[0]) > 1e-3, "cosine and constant differ after three steps");
        // Halving every 0.2 epochs (2 of the 10 steps per epoch): rates 0.1, 0.1, 0.05, 0.05, 0.025.
        float[] step = train(Optimizers.sgd(0.1).schedule(Schedule.step(0.2, 0.5)), 5);
        double s = 0.1 + 0.1 + 0.05 + 0.05 + 0.025;
        assertArrayEquals(new float[] {(float) (1 - s), (float) (2 + s), (float) (3 - 2 * s)}, step, 1e-6f);
        // Linear warm-up over one epoch (10 steps): rate(t) = 0.1 (t + 1) / 10.
        float[] warm = train(Optimizers.sgd(0.1).schedule(Schedule.constant().warmup(1)), 2);
        assertArrayEquals(new float[] {0.97f, 2.03f, 2.94f}, warm, 1e-6f);
    }
}
