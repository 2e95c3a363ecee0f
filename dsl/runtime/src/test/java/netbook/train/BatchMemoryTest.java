package netbook.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BatchMemoryTest {
    private static float[] counting(int n, float from) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = from + i;
        return v;
    }

    @Test
    void eachBatchReadsBackAsWrittenAfterThePreviousBatchsManagerCloses() {
        BatchMemory memory = new BatchMemory();
        for (int batch = 0; batch < 3; batch++) {
            float[] values = memory.floats(24);
            System.arraycopy(counting(24, 100 * batch), 0, values, 0, 24);
            try (NDManager scope = NDManager.newBaseManager()) {
                float[] read = memory.wrap(scope, values, new Shape(2, 3, 4)).toFloatArray();
                assertArrayEquals(counting(24, 100 * batch), read, "batch " + batch);
            }
        }
    }

    @Test
    void theMemoryIsReusedPerLengthAndALastShorterBatchGetsItsOwn() {
        BatchMemory memory = new BatchMemory();
        assertSame(memory.floats(24), memory.floats(24), "one array per length, reused");
        assertNotSame(memory.floats(24), memory.floats(8));
        try (NDManager scope = NDManager.newBaseManager()) {
            // The full batch's array stays valid while the last, shorter one is made beside it.
            var full = memory.wrap(scope, counting(24, 0), new Shape(6, 4));
            var last = memory.wrap(scope, counting(8, 50), new Shape(2, 4));
            assertArrayEquals(counting(24, 0), full.toFloatArray());
            assertArrayEquals(counting(8, 50), last.toFloatArray());
        }
    }

    @Test
    void valuesThatDoNotFillTheShapeAreRefused() {
        BatchMemory memory = new BatchMemory();
        try (NDManager scope = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> memory.wrap(scope, new float[10], new Shape(2, 4)));
        }
    }
}
