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

    @Test
    void imagesArePaddedWithZerosThenShiftedAndTheVarianceCoversEveryValue() {
        // two 1x2x2 images: [1 2; 3 4] and [5 6; 7 8]
        ArrayDataset d = new ArrayDataset("two", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, netbook.dsl.Shape.of(1, 2, 2), new int[] {0, 1}, 2, null);
        ArrayDataset p = d.padded(1).shifted(-0.5f);
        assertEquals(netbook.dsl.Shape.of(1, 4, 4), p.shape());
        assertEquals("two padded to 4x4 shifted -0.5", p.name());
        float[] first = new float[16];
        p.read(new int[] {0}, first);
        float b = -0.5f;
        assertArrayEquals(new float[] {b, b, b, b, b, 0.5f, 1.5f, b, b, 2.5f, 3.5f, b, b, b, b, b}, first);
        assertEquals(1, p.label(1));
        assertEquals(2 * 16, p.features().length, "features() holds both images");
        // values 1..8: mean 4.5, population variance (8^2 - 1) / 12 = 5.25
        assertEquals(5.25, d.variance(), 1e-12);
        assertThrows(NetbookException.class, () -> ArrayDataset.of(new float[][] {{1, 2}}, new int[] {0}).padded(1));
    }
}
