package netbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import netbook.dsl.NetbookException;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Hand-computed values: 3 classes, 8 examples. */
class MetricsTest {
    // actual:    0 0 0 1 1 1 2 2
    // predicted: 0 0 1 1 1 2 2 0
    private static final int[] ACTUAL = {0, 0, 0, 1, 1, 1, 2, 2};
    private static final int[] PREDICTED = {0, 0, 1, 1, 1, 2, 2, 0};

    @Test
    void confusionMatrixCountsActualByPredicted() {
        Table t = Metrics.confusionMatrix(ACTUAL, PREDICTED, 3);
        assertEquals(4, t.columnCount());
        // row 0: two 0s right, one predicted 1; row 1: two right, one predicted 2; row 2: one right, one predicted 0
        int[][] expected = {{2, 1, 0}, {0, 2, 1}, {1, 0, 1}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], t.intColumn("predicted " + j).getInt(i), "cell " + i + "," + j);
            }
        }
        String svg = Metrics.heatmap(t).markup();
        assertTrue(svg.contains("<title>actual 1, predicted 2: 1</title>"), svg);
    }

    @Test
    void thePngHeatmapShadesEachCellByItsShareOfTheRow() throws Exception {
        int[] actual = {0, 0, 0, 0, 1, 1};
        int[] predicted = {0, 0, 0, 0, 0, 1};
        netbook.render.Png png = Metrics.heatmapPng(Metrics.confusionMatrix(actual, predicted, 2));
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.bytes()));
        assertEquals(24 + 2 * 36 + 4, img.getWidth());
        assertEquals(img.getWidth(), png.size()[0]);
        // A corner pixel of each cell (away from the count): share 1 is pure blue, 0 white, 1/2 half-way.
        assertEquals(0x0000FF, img.getRGB(24 + 3, 24 + 3) & 0xFFFFFF, "actual 0, predicted 0: 4 of 4");
        assertEquals(0xFFFFFF, img.getRGB(24 + 36 + 3, 24 + 3) & 0xFFFFFF, "actual 0, predicted 1: 0 of 4");
        assertEquals(0x8080FF, img.getRGB(24 + 3, 24 + 36 + 3) & 0xFFFFFF, "actual 1, predicted 0: 1 of 2");
        // The count 4 is drawn in white on the full cell: some white pixels in its middle.
        long white = 0;
        for (int x = 24 + 10; x < 24 + 26; x++) for (int y = 24 + 10; y < 24 + 26; y++) if ((img.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF) white++;
        assertTrue(white >= 8, "digit pixels in the cell: " + white);
    }

    @Test
    void perClassPrecisionRecallF1AndMacro() {
        Table t = Metrics.perClass(ACTUAL, PREDICTED, 3);
        // class 0: tp 2, predicted 3, actual 3 -> p 2/3, r 2/3; class 1: tp 2, predicted 3, actual 3;
        // class 2: tp 1, predicted 2, actual 2 -> p 1/2, r 1/2.
        assertEquals(2.0 / 3, t.doubleColumn("precision").get(0), 1e-12);
        assertEquals(2.0 / 3, t.doubleColumn("recall").get(1), 1e-12);
        assertEquals(0.5, t.doubleColumn("f1").get(2), 1e-12);
        assertEquals(2, t.intColumn("support").getInt(2));
        assertEquals("macro", t.stringColumn("class").get(3));
        assertEquals((2.0 / 3 + 2.0 / 3 + 0.5) / 3, t.doubleColumn("f1").get(3), 1e-12);
    }

    @Test
    void topKAndRegression() {
        float[][] scores = {{0.1f, 0.7f, 0.2f}, {0.5f, 0.3f, 0.2f}};
        int[] labels = {2, 2};
        assertEquals(0.0, Metrics.topK(scores, labels, 1), 1e-12);
        assertEquals(0.5, Metrics.topK(scores, labels, 2), 1e-12); // second example: label 2 is third
        Table r = Metrics.regression(new double[] {1, 2, 3}, new double[] {1, 2, 5});
        assertEquals(4.0 / 3, r.doubleColumn("mse").get(0), 1e-12);
        assertEquals(2.0 / 3, r.doubleColumn("mae").get(0), 1e-12);
        assertEquals(1 - 4.0 / 2, r.doubleColumn("r2").get(0), 1e-12);   // total sum of squares 2
    }

    @Test
    void badInputNamesTheRecord() {
        var e = assertThrows(NetbookException.class, () -> Metrics.confusionMatrix(new int[] {0, 5}, new int[] {0, 1}, 3));
        assertEquals("metrics: record 1 has label 5, expected 0..2", e.getMessage());
        assertThrows(NetbookException.class, () -> Metrics.perClass(new int[] {0}, new int[] {0, 1}, 3));
    }
}
