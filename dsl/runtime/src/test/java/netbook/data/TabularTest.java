package netbook.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Table rows to examples: standardising, one-hot, missing values, labels, and the penguins end to end. */
class TabularTest {
    static final String CSV = """
            size,colour,kind
            1.0,red,a
            3.0,blue,b
            NA,red,a
            5.0,green,b
            """;

    private static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void missingValuesAreNamedByColumnCountAndFirstRow(@TempDir Path dir) throws Exception {
        Path f = write(dir, "t.csv", CSV);
        String msg = assertThrows(NetbookException.class, () -> Tabular.csv(f).label("kind").dataset()).getMessage();
        assertEquals(f + ": missing values in size (1 row, first at row 3); use .dropMissing() to leave those rows out "
                + "or .fillMissing() to fill them", msg);
    }

    @Test
    void numbersAreStandardisedAndTextIsOneHot(@TempDir Path dir) throws Exception {
        ArrayDataset d = Tabular.csv(write(dir, "t.csv", CSV)).label("kind").dropMissing().dataset();
        // Rows 1, 2, 4 remain: size 1, 3, 5 -> mean 3, sample std 2 -> -1, 0, 1; colours blue, green, red (sorted).
        assertEquals(3, d.size());
        assertEquals(4, d.shape().size());
        float[] x = new float[12];
        for (int i = 0; i < 3; i++) d.copyFeatures(i, x, i * 4);
        assertArrayEquals(new float[] {-1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0}, x);
        assertEquals(List.of(0, 1, 1), List.of(d.label(0), d.label(1), d.label(2)));
        assertEquals(List.of("a", "b"), d.encoding().classes());
    }

    @Test
    void fillingUsesTheColumnMean(@TempDir Path dir) throws Exception {
        ArrayDataset d = Tabular.csv(write(dir, "t.csv", CSV)).label("kind").fillMissing().dataset();
        float[] x = new float[4];
        d.copyFeatures(2, x, 0);
        assertEquals(0f, x[0], "the missing size is the mean, 0 once standardised");
    }

    @Test
    void badLabelsAndColumnsAreNamed(@TempDir Path dir) throws Exception {
        Path f = write(dir, "t.csv", CSV);
        String msg = assertThrows(NetbookException.class, () -> Tabular.csv(f).label("species")).getMessage();
        assertEquals(f + ": no label column 'species'; columns are [size, colour, kind]", msg);
        Tabular.Encoding e = Tabular.csv(f).label("kind").dropMissing().encoding();
        Table other = Table.read().csv(new java.io.StringReader("size,colour,kind\n2.0,red,a\n4.0,blue,purple\n"));
        msg = assertThrows(NetbookException.class, () -> e.encode(other, "new.csv")).getMessage();
        assertEquals("new.csv: row 2, label column kind: 'purple' is not one of the classes [a, b]", msg);
        Table noColour = Table.read().csv(new java.io.StringReader("size,kind\n2.0,a\n"));
        msg = assertThrows(NetbookException.class, () -> e.encode(noColour, "new.csv")).getMessage();
        assertEquals("new.csv: no column 'colour', which the model was trained on; columns are [size, kind]", msg);
        Path empty = write(dir, "empty.csv", "size,colour,kind\n");
        msg = assertThrows(NetbookException.class, () -> Tabular.csv(empty)).getMessage();
        assertTrue(msg.startsWith(empty + ": "), msg);
        assertTrue(msg.contains("empty"), msg);
        Path oneClass = write(dir, "one.csv", "size,kind\n1,a\n2,a\n");
        msg = assertThrows(NetbookException.class, () -> Tabular.csv(oneClass).label("kind").dataset()).getMessage();
        assertEquals(oneClass + ": label column 'kind' has 1 distinct value(s); a classifier needs at least 2", msg);
    }

    @Test
    void aNetworkWithTooFewOutputsIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        ArrayDataset d = Tabular.csv(write(dir, "t.csv", CSV)).label("kind").dropMissing().dataset();
        Net tooSmall = Net.input(4).named("one-output").add(netbook.dsl.Layers.linear(1));
        String msg = assertThrows(NetbookException.class, () -> Fit.of(tooSmall, d).progress(Progress.none()).run()).getMessage();
        assertEquals("Fit: one-output has 1 outputs but " + d.name() + " has 2 classes (labels 0..1); end the network with linear(2)", msg);
    }

    @Test
    void penguinsTrainAnMlpThatSavesAndReloadsWithItsEncoding(@TempDir Path dir) throws Exception {
        Tabular penguins = Tabular.csv(Penguins.csv()).label("species");
        String msg = assertThrows(NetbookException.class, penguins::dataset).getMessage();
        assertTrue(msg.contains("missing values in bill_length_mm (2 rows, first at row 4)") && msg.contains("sex (11 rows"), msg);
        Tabular.Split split = penguins.dropMissing().split(0.25, 7);
        assertEquals(333, split.train().size() + split.test().size(), "344 penguins, 11 with a missing value");
        assertEquals(List.of("Adelie", "Chinstrap", "Gentoo"), split.encoding().classes());
        Net mlp = Tabular.mlp(split.train(), 16);
        try (TrainedModel m = Fit.of(mlp, split.train()).validation(split.test()).optimizer(Optimizers.adam(1e-2))
                .epochs(30).batchSize(32).seed(3).progress(Progress.none()).run()) {
            double acc = m.metrics().doubleColumn("val_accuracy").get(m.metrics().rowCount() - 1);
            // The species differ plainly in bill and flipper sizes; a fitted MLP separates them.
            assertTrue(acc > 0.9, "held-out accuracy " + acc);
            Path file = dir.resolve("penguins.netbook");
            m.save(file);
            try (TrainedModel back = TrainedModel.load(file)) {
                assertEquals(split.encoding(), back.encoding());
                assertArrayEquals(m.predictClasses(split.test()), back.predictClasses(split.test()));
                ArrayDataset all = back.encoding().encode(Tabular.readCsv(Penguins.csv()).dropRowsWithMissingValues(), "again");
                assertEquals(333, all.size());
            }
        }
    }

    @Test
    void numericTargetsTrainARegressionInTheirOwnUnits() {
        Tabular.Split split = Tabular.csv(Penguins.csv()).label("body_mass_g").regression().dropMissing().split(0.25, 7);
        assertTrue(split.train().isRegression());
        Net mlp = Tabular.mlp(split.train(), 16);
        assertEquals(netbook.dsl.Shape.of(1), mlp.outputShape());
        try (TrainedModel m = Fit.of(mlp, split.train()).validation(split.test()).optimizer(Optimizers.adam(1e-2))
                .epochs(40).batchSize(32).seed(3).progress(Progress.none()).run()) {
            assertTrue(!m.metrics().containsColumn("train_accuracy"), "no accuracy for numbers");
            Table r = m.regressionMetrics(split.test());
            double r2 = r.doubleColumn("r2").get(0);
            double mae = r.doubleColumn("mae").get(0);
            // Species, flipper length and sex explain most of a penguin's mass; errors are in grams.
            assertTrue(r2 > 0.7, "held-out R-squared " + r2);
            assertTrue(mae > 50 && mae < 600, "held-out mean absolute error in grams " + mae);
        }
        String msg = assertThrows(NetbookException.class, () -> Tabular.csv(Penguins.csv()).label("species").regression().dropMissing().dataset()).getMessage();
        assertTrue(msg.endsWith("label column 'species' holds text ([Adelie, Chinstrap, Gentoo]...); regression needs numbers"), msg);
    }
}
