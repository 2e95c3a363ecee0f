package netbook.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** InfoNCE against values worked out by hand. */
class InfoNceTest {
    /**
     * q = (1, 0), k+ = (0.6, 0.8), queue = {(0, 1), (-1, 0)}, tau = 0.5: logits (1.2, 0, -2), so
     * loss = -ln(e^1.2 / (e^1.2 + e^0 + e^-2)) = ln(1 + e^-1.2 + e^-3.2) = 0.3017...
     */
    @Test
    void lossIsCrossEntropyWithThePositiveInColumnZero() {
        double expected = Math.log(1 + Math.exp(-1.2) + Math.exp(-3.2));
        assertEquals(expected, InfoNce.loss(new double[] {1, 0}, new double[] {0.6, 0.8}, new double[][] {{0, 1}, {-1, 0}}, 0.5), 1e-12);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {1, 0}, new Shape(1, 2));
            NDArray k = m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2));
            NDArray queue = m.create(new float[] {0, 1, -1, 0}, new Shape(2, 2));
            assertArrayEquals(new float[] {1.2f, 0, -2}, InfoNce.logits(q, k, queue, 0.5).toFloatArray(), 1e-6f);
            assertEquals(expected, InfoNce.loss(q, k, queue, 0.5).getFloat(), 1e-6);
        }
    }

    /** Two queries average: the second, q = (0, 1), k+ = (0, 1): logits (2, 2, 0), loss ln(2 + e^-2). */
    @Test
    void batchLossIsTheMeanOverQueries() {
        double first = Math.log(1 + Math.exp(-1.2) + Math.exp(-3.2));
        double second = Math.log(2 + Math.exp(-2));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray k = m.create(new float[] {0.6f, 0.8f, 0, 1}, new Shape(2, 2));
            NDArray queue = m.create(new float[] {0, 1, -1, 0}, new Shape(2, 2));
            assertEquals((first + second) / 2, InfoNce.loss(q, k, queue, 0.5).getFloat(), 1e-6);
        }
    }
}
