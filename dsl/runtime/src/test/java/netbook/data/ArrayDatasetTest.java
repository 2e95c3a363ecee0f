package netbook.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;

class ArrayDatasetTest {
    @Test
    void rowsBecomeFlatExamplesWithClassesUpToTheLargestLabel() {
        ArrayDataset d = ArrayDataset.of(new float[][] {{1, 2, 3}, {4, 5, 6}}, new int[] {0, 2});
        assertEquals(2, d.size());
        assertEquals(netbook.dsl.Shape.of(3), d.shape());
        assertEquals(3, d.classes());
        float[] dst = new float[3];
        d.read(new int[] {1}, dst);
        assertArrayEquals(new float[] {4, 5, 6}, dst);
        assertEquals(2, d.label(1));
    }

    @Test
    void raggedRowsAndMismatchedLabelsNameTheRow() {
        NetbookException e = assertThrows(NetbookException.class, () -> ArrayDataset.of(new float[][] {{1, 2}, {3}}, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("row 1 has 1 values, row 0 has 2"), e.getMessage());
        assertThrows(NetbookException.class, () -> ArrayDataset.of(new float[][] {{1, 2}}, new int[] {0, 1}));
        assertThrows(NetbookException.class, () -> ArrayDataset.of(new float[][] {{1, 2}}, new int[] {-1}));
    }
}
