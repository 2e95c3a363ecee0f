package netbook.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** BPR against values worked out by hand. */
class BprLossTest {
    /** Scores (2, 1) and (0, 1): softplus(-1) = ln(1 + e^-1) = 0.3132617, softplus(1) = 1.3132617; mean 0.8132617. */
    @Test
    void bprIsMeanSoftplusOfNegativeMinusPositive() {
        double expected = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(1))) / 2;
        assertEquals(0.8132616875, expected, 1e-9);
        assertEquals(expected, BprLoss.loss(new double[] {2, 0}, new double[] {1, 1}), 1e-12);
        try (NDManager m = NDManager.newBaseManager()) {
            float v = BprLoss.loss(m.create(new float[] {2, 0}), m.create(new float[] {1, 1})).getFloat();
            assertEquals(expected, v, 1e-6);
        }
    }

    @Test
    void bprEqualsMinusMeanLogSigmoidAndIsStableForLargeMargins() {
        double[] p = {3.5, -2, 40};
        double[] n = {1, 0.5, -40};
        double byHand = 0;
        for (int i = 0; i < 3; i++) byHand += -Math.log(1 / (1 + Math.exp(-(p[i] - n[i]))));
        assertEquals(byHand / 3, BprLoss.loss(p, n), 1e-12);
        assertEquals(1000.0, BprLoss.loss(new double[] {-1000}, new double[] {0}), 1e-9);
    }

    /** Rows u = (1, 2), i = (0, 1), j = (3, 0) twice (B = 2): 1/2 (2 * (5 + 1 + 9)) / 2 = 7.5. */
    @Test
    void l2IsHalfTheSquaredNormsOverTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            var u = m.create(new float[] {1, 2, 1, 2}, new Shape(2, 2));
            var i = m.create(new float[] {0, 1, 0, 1}, new Shape(2, 2));
            var j = m.create(new float[] {3, 0, 3, 0}, new Shape(2, 2));
            assertEquals(7.5f, BprLoss.l2(u, i, j).getFloat(), 1e-6);
        }
    }
}
