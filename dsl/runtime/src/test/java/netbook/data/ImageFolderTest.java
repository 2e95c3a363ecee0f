package netbook.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import netbook.dsl.Layers;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.train.Fit;
import netbook.train.Progress;
import netbook.train.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders: Fashion-MNIST written out as PNG files reads back as the IDX arrays and trains the same. */
class ImageFolderTest {
    static final int N = 300;

    /** The first N test images as grey PNGs, DIR/class-K/NNNNN.png; returns their indices in folder order. */
    static int[] writePngs(ArrayDataset idx, Path dir) throws Exception {
        float[] x = new float[28 * 28];
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < 10; k++) byClass.add(new ArrayList<>());
        for (int i = 0; i < N; i++) {
            idx.copyFeatures(i, x, 0);
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int r = 0; r < 28; r++) for (int c = 0; c < 28; c++) img.getRaster().setSample(c, r, 0, Math.round(x[r * 28 + c] * 255));
            Path f = dir.resolve("class-" + idx.label(i)).resolve(String.format("%05d.png", i));
            Files.createDirectories(f.getParent());
            ImageIO.write(img, "png", f.toFile());
            byClass.get(idx.label(i)).add(i);
        }
        return byClass.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void pngFoldersReadBackAsTheIdxArraysAndTrainTheSame(@TempDir Path dir) throws Exception {
        ArrayDataset idx = FashionMnist.test();
        int[] order = writePngs(idx, dir);
        ArrayDataset fromIdx = idx.select(order, "idx in folder order");
        ImageFolder.Labelled folder = ImageFolder.of(dir);
        assertEquals(10, folder.classes().size());
        ArrayDataset fromPng = folder.images().dataset();
        assertEquals(fromIdx.shape(), fromPng.shape());
        float[] a = new float[N * 784];
        float[] b = new float[N * 784];
        for (int i = 0; i < N; i++) {
            fromIdx.copyFeatures(i, a, i * 784);
            fromPng.copyFeatures(i, b, i * 784);
            assertEquals(fromIdx.label(i), fromPng.label(i), "label of image " + i);
        }
        assertArrayEquals(a, b, "every pixel, exactly");
        Net net = Net.input(1, 28, 28).named("png-cnn").add(Layers.conv(4, 3), Layers.relu(), Layers.flatten(), Layers.linear(10));
        try (TrainedModel m1 = Fit.of(net, fromIdx).epochs(1).batchSize(32).seed(5).progress(Progress.none()).run();
             TrainedModel m2 = Fit.of(net, fromPng).epochs(1).batchSize(32).seed(5).progress(Progress.none()).run()) {
            assertEquals(m1.metrics().doubleColumn("train_loss").get(0), m2.metrics().doubleColumn("train_loss").get(0));
        }
        // Read from disk batch by batch on the prefetch thread, with augmentation: the same run as from memory.
        Dataset streamed = folder.images().streamedFor(net);
        float[] c = new float[N * 784];
        int[] all = java.util.stream.IntStream.range(0, N).toArray();
        streamed.read(all, c);
        assertArrayEquals(b, c, "streamed pixels");
        try (TrainedModel m1 = Fit.of(net, fromPng).augment(Augment.cropAndFlip(2)).epochs(2).batchSize(32).seed(5).progress(Progress.none()).run();
             TrainedModel m2 = Fit.of(net, streamed).augment(Augment.cropAndFlip(2)).epochs(2).batchSize(32).seed(5).progress(Progress.none()).run()) {
            assertEquals(m1.metrics().doubleColumn("train_loss").asList(), m2.metrics().doubleColumn("train_loss").asList());
        }
    }

    @Test
    void resizingAveragesPixelsAndColourBecomesGrey(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        int[] greys = {0, 40, 80, 120, 160, 200, 240, 255};
        for (int i = 0; i < 8; i++) img.setRGB(i % 4, i / 4, greys[i] * 0x010101);
        Path f = dir.resolve("a").resolve("x.png");
        Files.createDirectories(f.getParent());
        ImageIO.write(img, "png", f.toFile());
        ImageFolder.Images images = ImageFolder.unlabelled(dir);
        ArrayDataset half = images.resized(1, 1, 2);
        float[] x = new float[2];
        half.copyFeatures(0, x, 0);
        // Halving both sides with half-pixel centres is the mean of each 2x2 block.
        assertEquals((0 + 40 + 160 + 200) / 4.0 / 255, x[0], 1e-6);
        assertEquals((80 + 120 + 240 + 255) / 4.0 / 255, x[1], 1e-6);
        ArrayDataset rgb = images.resized(3, 2, 4);
        assertEquals(netbook.dsl.Shape.of(3, 2, 4), rgb.shape());
    }

    @Test
    void badFoldersAndImagesAreNamed(@TempDir Path dir) throws Exception {
        String msg = assertThrows(NetbookException.class, () -> ImageFolder.of(dir)).getMessage();
        assertTrue(msg.startsWith(dir + ": no sub-folders"), msg);
        Files.createDirectories(dir.resolve("cats"));
        Files.createDirectories(dir.resolve("dogs"));
        msg = assertThrows(NetbookException.class, () -> ImageFolder.of(dir)).getMessage();
        assertTrue(msg.startsWith(dir.resolve("cats") + ": no images"), msg);
        ImageIO.write(new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("cats").resolve("a.png").toFile());
        ImageIO.write(new BufferedImage(6, 5, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("dogs").resolve("b.png").toFile());
        msg = assertThrows(NetbookException.class, () -> ImageFolder.of(dir).images().dataset()).getMessage();
        assertEquals(dir.resolve("dogs").resolve("b.png") + ": 6x5 pixels but " + dir.resolve("cats").resolve("a.png")
                + " has 5x5; images of mixed sizes need a resize: resizedFor(net) or resized(...)", msg);
        Path broken = dir.resolve("dogs").resolve("c.png");
        Files.writeString(broken, "not a png");
        msg = assertThrows(NetbookException.class, () -> ImageFolder.of(dir).images().resized(1, 5, 5)).getMessage();
        assertTrue(msg.startsWith(broken + ": not a readable image"), msg);
        Net flat = Net.input(8).add(Layers.linear(2));
        msg = assertThrows(NetbookException.class, () -> ImageFolder.of(dir).images().resizedFor(flat)).getMessage();
        assertTrue(msg.endsWith("takes (N, 8); images need a (1 or 3, H, W) input"), msg);
    }

    @Test
    void augmentationFlipsAndShiftsFromItsSeed() {
        float[] img = {1, 2, 3, 4, 5, 6};   // one (1, 2, 3) image
        float[] flipped = img.clone();
        Augment.flips().apply(flipped, 1, netbook.dsl.Shape.of(1, 2, 3), new java.util.Random(0) {
            @Override public boolean nextBoolean() { return true; }
        });
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, flipped);
        float[] shifted = img.clone();
        new Augment(1, false).apply(shifted, 1, netbook.dsl.Shape.of(1, 2, 3), new java.util.Random(0) {
            private int calls;
            @Override public int nextInt(int bound) { return calls++ == 0 ? 2 : 0; }   // dy = +1, dx = -1
        });
        assertArrayEquals(new float[] {0, 4, 5, 0, 0, 0}, shifted);
        float[] a = new float[4 * 6];
        for (int i = 0; i < a.length; i++) a[i] = i;
        float[] b = a.clone();
        Augment.cropAndFlip(1).apply(a, 4, netbook.dsl.Shape.of(1, 2, 3), new java.util.Random(9));
        Augment.cropAndFlip(1).apply(b, 4, netbook.dsl.Shape.of(1, 2, 3), new java.util.Random(9));
        assertArrayEquals(a, b, "the same seed, the same crops and flips");
    }

    @Test
    void randomErasingReplacesOneRectangleOfTheSizeThePaperDraws() {
        int n = 400, h = 28, w = 28;
        float[] x = new float[n * h * w];
        java.util.Arrays.fill(x, 2f);   // outside [0, 1): every erased pixel shows
        Augment.flips().withErasing(1).apply(x, n, netbook.dsl.Shape.of(1, h, w), new java.util.Random(3));
        double smallest = 1, largest = 0;
        for (int e = 0; e < n; e++) {
            int changed = 0, top = h, bottom = -1, left = w, right = -1;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    float v = x[e * h * w + i * w + j];
                    if (v == 2f) continue;
                    assertTrue(v >= 0 && v < 1, "an erased pixel is uniform in [0, 1): " + v);
                    changed++;
                    top = Math.min(top, i); bottom = Math.max(bottom, i);
                    left = Math.min(left, j); right = Math.max(right, j);
                }
            }
            assertTrue(changed > 0, "probability 1 erases every image; image " + e + " is whole");
            assertEquals((bottom - top + 1) * (right - left + 1), changed, "image " + e + ": one filled rectangle");
            double share = changed / (double) (h * w);
            smallest = Math.min(smallest, share);
            largest = Math.max(largest, share);
            double aspect = (bottom - top + 1) / (double) (right - left + 1);
            // 0.3 to 1/0.3, widened by rounding each side to whole pixels
            assertTrue(aspect > 0.2 && aspect < 5, "image " + e + ": aspect " + aspect);
        }
        // 2% to 40% of the image, widened by the rounding of each side
        assertTrue(smallest >= 0.01 && smallest < 0.06, "smallest erased share " + smallest);
        assertTrue(largest > 0.3 && largest <= 0.45, "largest erased share " + largest);

        float[] half = new float[n * h * w];
        java.util.Arrays.fill(half, 2f);
        Augment.flips().withErasing(0.5).apply(half, n, netbook.dsl.Shape.of(1, h, w), new java.util.Random(4));
        int erased = 0;
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < h * w; k++) {
                if (half[e * h * w + k] != 2f) { erased++; break; }
            }
        }
        // 400 draws at 1/2: standard deviation 10 images, so 140-260 is six of them each way
        assertTrue(erased > 140 && erased < 260, "images erased at probability 0.5: " + erased);
    }

    @Test
    void erasingOffDrawsNothingSoEarlierRunsRepeat() {
        float[] a = new float[4 * 6];
        for (int i = 0; i < a.length; i++) a[i] = i;
        float[] b = a.clone();
        java.util.Random ra = new java.util.Random(9), rb = new java.util.Random(9);
        Augment.cropAndFlip(1).apply(a, 4, netbook.dsl.Shape.of(1, 2, 3), ra);
        Augment.cropAndFlip(1).withErasing(0).apply(b, 4, netbook.dsl.Shape.of(1, 2, 3), rb);
        assertArrayEquals(a, b);
        assertEquals(ra.nextLong(), rb.nextLong(), "probability 0 consumes no random draws");
        assertEquals("random crop (pad 2) and horizontal flip", Augment.cropAndFlip(2).describe());
        assertEquals("random crop (pad 2), horizontal flip and random erasing (p 0.5)", Augment.cropAndFlip(2).withErasing(0.5).describe());
        assertEquals("none", new Augment(0, false).describe());
        assertTrue(Augment.fromSettings(-1, 0).isEmpty(), "no crop padding and no erasing: no augmentation");
        assertEquals(Augment.cropAndFlip(2), Augment.fromSettings(2, 0).orElseThrow());
        assertEquals(new Augment(0, false, 0.5), Augment.fromSettings(-1, 0.5).orElseThrow());
        String msg = assertThrows(NetbookException.class, () -> Augment.flips().withErasing(1.5)).getMessage();
        assertEquals("Augment.withErasing: the probability must lie in [0, 1], received 1.5", msg);
    }

    @Test
    void classNamesComeFromTheFoldersAndTravelWithTheModel(@TempDir Path dir) throws Exception {
        ArrayDataset idx = FashionMnist.test();
        writePngs(idx, dir.resolve("images"));
        ArrayDataset data = ImageFolder.of(dir.resolve("images")).images().dataset();
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < 10; k++) expected.add("class-" + k);
        assertEquals(expected, data.classNames());
        assertEquals(expected, data.head(20).classNames(), "copies keep the names (and the number of classes)");
        assertEquals(List.of("class-7", "class-2"), data.where(7, 2).classNames(), "a selection renames in its order");
        assertEquals(FashionMnist.CLASSES, idx.classNames());
        assertEquals(List.of("0", "1", "2"), new ArrayDataset("plain", new float[6], netbook.dsl.Shape.of(2), new int[] {0, 1, 2}, 3, null).classNames());
        var e = assertThrows(NetbookException.class, () -> data.withClassNames(List.of("a", "b")));
        assertTrue(e.getMessage().contains("10 classes need 10 names, received 2 [a, b]"), e.getMessage());

        Net net = Net.input(1, 28, 28).named("named").add(Layers.flatten(), Layers.linear(10));
        Path file = dir.resolve("m.netbook");
        try (TrainedModel m = Fit.of(net, data).epochs(1).batchSize(64).progress(Progress.none()).run()) {
            assertEquals(expected, m.classNames());
            assertEquals(expected, m.perClass(data).stringColumn("class").asList().subList(0, 10));
            m.save(file);
        }
        try (TrainedModel loaded = TrainedModel.load(file)) {
            assertEquals(expected, loaded.classNames());
        }
        try (TrainedModel untrained = TrainedModel.untrained(net, 1)) {
            assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), untrained.classNames());
        }
    }

    @Test
    void normalizeTakesPerChannelStatisticsAndTheNetworkAppliesThem() {
        // Two RGB-like (2, 1, 2) examples: channel 0 holds 1, 3, 5, 7; channel 1 is constant 4.
        float[] x = {1, 3, 4, 4, 5, 7, 4, 4};
        ArrayDataset d = new ArrayDataset("two", x, netbook.dsl.Shape.of(2, 1, 2), new int[] {0, 1}, 2, null);
        netbook.dsl.spec.Normalize n = d.normalization();
        assertArrayEquals(new double[] {4, 4}, n.mean(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(5), 1}, n.std(), 1e-12, "a constant channel keeps deviation 1");
        Net net = Net.input(2, 1, 2).named("norm").add(n);
        try (TrainedModel m = TrainedModel.untrained(net, 1)) {
            float[][] y = m.predict(d);
            double s = Math.sqrt(5);
            assertArrayEquals(new float[] {(float) (-3 / s), (float) (-1 / s), 0, 0}, y[0], 1e-6f);
            assertArrayEquals(new float[] {(float) (1 / s), (float) (3 / s), 0, 0}, y[1], 1e-6f);
        }
        var e = assertThrows(NetbookException.class, () -> Layers.normalize(new double[] {0.5}, new double[] {0}));
        assertTrue(e.getMessage().contains("standard deviation 0 is 0.0; it must be positive and finite"), e.getMessage());
        var round = netbook.dsl.SpecJson.read(netbook.dsl.SpecJson.write(net));
        assertEquals(net.body(), round.body(), "the statistics are saved with the network");
    }
}
