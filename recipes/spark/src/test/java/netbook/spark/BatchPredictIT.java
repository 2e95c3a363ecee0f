package netbook.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.data.ImageFolder;
import netbook.data.Tabular;
import netbook.dsl.NetbookException;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Batch prediction on Spark's executor processes, checked against the same model predicting the
 * same files in this JVM: every record's class, and the accuracy.
 */
class BatchPredictIT {
    @TempDir Path dir;

    /** A small CNN trained briefly on Fashion-MNIST, saved; and 90 test images as PNGs in class folders. */
    static Path imageModelAndFolder(Path dir, Path images) throws IOException {
        Path model = dir.resolve("cnn.netbook");
        try (TrainedModel m = Fit.of(SweepTest.tiny(), FashionMnist.train().sample(2000, 1)).epochs(1).batchSize(64).seed(1)
                .optimizer(Optimizers.adam(3e-3)).progress(Progress.none()).run()) {
            m.save(model);
        }
        writeImages(images);
        return model;
    }

    /** 90 Fashion-MNIST test images as PNG files in one folder per class. */
    static void writeImages(Path images) throws IOException {
        ArrayDataset test = FashionMnist.test();
        float[] pixels = new float[28 * 28];
        for (int i = 0; i < 90; i++) {
            test.copyFeatures(i, pixels, 0);
            BufferedImage b = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) b.getRaster().setSample(x, y, 0, Math.round(pixels[y * 28 + x] * 255));
            Path cls = Files.createDirectories(images.resolve(FashionMnist.CLASSES.get(test.label(i)).replace('/', '-')));
            ImageIO.write(b, "png", cls.resolve(String.format("%03d.png", i)).toFile());
        }
    }

    /** The model's class for every image of the folder, predicted in this JVM, by absolute file name. */
    static Map<String, String> expected(Path model, Path images) throws IOException {
        ImageFolder.Images all = ImageFolder.of(images).images();
        Map<String, String> out = new HashMap<>();
        try (TrainedModel m = TrainedModel.load(model)) {
            int[] classes = m.predictClasses(all.resizedFor(m.net()));
            for (int i = 0; i < classes.length; i++) out.put(all.files().get(i).toAbsolutePath().toString(), m.classNames().get(classes[i]));
        }
        return out;
    }

    /** Every prediction file's rows: source (or record) to predicted class. */
    static Map<String, String> predictions(Path out, boolean byRecord) throws IOException {
        Map<String, String> p = new HashMap<>();
        try (Stream<Path> parts = Files.list(out.resolve("predictions"))) {
            for (Path part : parts.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
                if (Files.size(part) == 0) continue;
                Table t = Table.read().csv(part.toFile());
                for (int r = 0; r < t.rowCount(); r++) {
                    p.put(byRecord ? t.column("record").getString(r) : t.stringColumn("source").get(r), t.stringColumn("predicted").get(r));
                }
            }
        }
        return p;
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void anImageFolderIsPredictedAcrossExecutorsAsThisJvmPredictsIt() throws Exception {
        Path images = dir.resolve("images");
        Path model = imageModelAndFolder(dir, images);
        Path out = Files.createDirectories(dir.resolve("out"));
        BatchPredict.Summary s = BatchPredict.run(SparkTarget.local("batch-predict", 1), model, images, out, 5);

        ImageFolder.Images all = ImageFolder.of(images).images();
        int[] expected;
        try (TrainedModel m = TrainedModel.load(model)) {
            expected = m.predictClasses(all.resizedFor(m.net()));
        }
        Map<String, String> got = predictions(out, false);
        assertEquals(90, got.size());
        int correct = 0;
        for (int i = 0; i < all.size(); i++) {
            String file = all.files().get(i).toAbsolutePath().toString();
            assertEquals(FashionMnist.CLASSES.get(expected[i]), got.get(file), file);
            if (expected[i] == FashionMnist.CLASSES.indexOf(all.classes().get(all.labels()[i]).replace('-', '/'))) correct++;
        }
        assertEquals(90, s.summary().longColumn("records").get(0));
        assertTrue(s.summary().stringColumn("ran_on").get(0).contains("5 partitions"), s.summary().print());
        // the model names its classes as Fashion-MNIST does ("T-shirt/top"), the folder as a file system must ("T-shirt-top")
        assertEquals(90, s.perClass().longColumn("records").sum(), 0.0);
        assertTrue(Files.exists(out.resolve("summary.html")) && Files.exists(out.resolve("confusion.csv")));
        assertTrue(correct > 30, "a briefly trained CNN is right more often than chance: " + correct + " of 90");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void csvRecordsArePredictedInFileOrderAndABadRecordIsNamedByItsNumber() throws Exception {
        // a table with a numeric and a categorical column; the class follows x and colour
        StringBuilder csv = new StringBuilder("x,colour,kind\n");
        java.util.Random rng = new java.util.Random(3);
        for (int i = 0; i < 300; i++) {
            double x = rng.nextGaussian();
            String colour = rng.nextBoolean() ? "red" : "blue";
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%s,%s%n", x, colour, x > 0 == colour.equals("red") ? "a" : "b"));
        }
        Path data = dir.resolve("rows.csv");
        Files.writeString(data, csv);
        Tabular.Split split = Tabular.csv(data).label("kind").split(0.2, 1);
        Path model = dir.resolve("mlp.netbook");
        try (TrainedModel m = Fit.of(Tabular.mlp(split.train(), 16), split.train()).epochs(3).batchSize(32).seed(1)
                .optimizer(Optimizers.adam(1e-2)).progress(Progress.none()).run()) {
            m.save(model);
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        BatchPredict.Summary s = BatchPredict.run(SparkTarget.local("batch-predict", 1), model, data, out, 3);
        float[][] expected;
        try (TrainedModel m = TrainedModel.load(model)) {
            expected = m.predict(m.encoding().encode(Tabular.readCsv(data), "rows.csv"));
            Map<String, String> got = predictions(out, true);
            assertEquals(300, got.size());
            for (int r = 0; r < 300; r++) {
                String cls = m.encoding().classes().get(expected[r][0] >= expected[r][1] ? 0 : 1);
                assertEquals(cls, got.get(Integer.toString(r + 1)), "record " + (r + 1));
            }
        }
        assertEquals(300, s.summary().longColumn("labelled").get(0));
        assertTrue(s.summary().doubleColumn("accuracy").get(0) > 0.6, s.summary().print());

        // record 7 holds a word where a number belongs
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(data));
        lines.set(7, "abc,red,a");
        Files.write(data, lines);
        Path out2 = Files.createDirectories(dir.resolve("out2"));
        String msg = assertThrows(NetbookException.class, () -> BatchPredict.run(SparkTarget.local("batch-predict", 1), model, data, out2, 3)).getMessage();
        assertTrue(msg.startsWith("batch-predict: rows.csv record 7: column x: 'abc' is not a number"), msg);
    }
}
