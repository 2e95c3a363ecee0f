package netbook.pcrec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

/** MoCo's queue and momentum update on a tiny model. */
class MocoTest {
    static Block tiny(NDManager m, float offset) {
        Block b = Linear.builder().setUnits(2).build();
        b.initialize(m, DataType.FLOAT32, new Shape(1, 3));
        b.getParameters().get("weight").getArray().set(new float[] {1 + offset, 2, 3, 4, 5, 6 + offset});
        b.getParameters().get("bias").getArray().set(new float[] {0.5f, -0.5f + offset});
        return b;
    }

    @Test
    void momentumUpdateIsExactlyMThetaKPlusOneMinusMThetaQ() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block q = tiny(m, 0);
            Block k = tiny(m, 10);
            Moco moco = new Moco(q, k, m, 4, 2, 0.999, 0.07, 1);
            float[] wq = q.getParameters().get("weight").getArray().toFloatArray();
            float[] wk = k.getParameters().get("weight").getArray().toFloatArray();
            float[] bq = q.getParameters().get("bias").getArray().toFloatArray();
            float[] bk = k.getParameters().get("bias").getArray().toFloatArray();
            moco.momentumUpdate();
            float[] w = k.getParameters().get("weight").getArray().toFloatArray();
            float[] b = k.getParameters().get("bias").getArray().toFloatArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(0.999 * wk[i] + 0.001 * wq[i], w[i], 1e-5, "weight " + i);
                assertEquals(wk[i] * 0.999f + wq[i] * (float) (1 - 0.999), w[i], 0f, "the same float arithmetic: exact");
            }
            for (int i = 0; i < b.length; i++) assertEquals(0.999 * bk[i] + 0.001 * bq[i], b[i], 1e-6, "bias " + i);
            assertArrayEquals(wq, q.getParameters().get("weight").getArray().toFloatArray(), "the query encoder is untouched");
            moco.copyQueryToKey();
            assertArrayEquals(wq, k.getParameters().get("weight").getArray().toFloatArray());
        }
    }

    @Test
    void queueIsFifoAndWrapsAround() {
        try (NDManager m = NDManager.newBaseManager()) {
            Moco moco = new Moco(tiny(m, 0), tiny(m, 0), m, 5, 2, 0.999, 0.07, 1);
            float stdv = (float) (1 / Math.sqrt(2 / 3.0));
            for (float v : moco.queue().toFloatArray()) assertEquals(true, Math.abs(v) <= stdv, "GCC's uniform start");
            moco.enqueue(m.create(new float[] {1, 1, 2, 2}, new Shape(2, 2)));
            moco.enqueue(m.create(new float[] {3, 3, 4, 4}, new Shape(2, 2)));
            assertEquals(4, moco.pointer());
            float[] before = moco.queue().toFloatArray();
            assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3, 4, 4}, java.util.Arrays.copyOf(before, 8));
            moco.enqueue(m.create(new float[] {5, 5, 6, 6, 7, 7}, new Shape(3, 2)));   // 5 fills the last slot, 6 and 7 overwrite the oldest
            assertEquals(2, moco.pointer());
            assertArrayEquals(new float[] {6, 6, 7, 7, 3, 3, 4, 4, 5, 5}, moco.queue().toFloatArray());
        }
    }

    @Test
    void lossUsesTheQueueAsNegatives() {
        try (NDManager m = NDManager.newBaseManager()) {
            Moco moco = new Moco(tiny(m, 0), tiny(m, 0), m, 2, 2, 0.999, 0.5, 1);
            moco.enqueue(m.create(new float[] {0, 1, -1, 0}, new Shape(2, 2)));
            NDArray q = m.create(new float[] {1, 0}, new Shape(1, 2));
            NDArray k = m.create(new float[] {0.6f, 0.8f}, new Shape(1, 2));
            assertEquals(Math.log(1 + Math.exp(-1.2) + Math.exp(-3.2)), moco.loss(q, k).getFloat(), 1e-6);
        }
    }
}
