package netbook.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;

/**
 * Images in a folder with one sub-folder per class (the sorted sub-folder names are the classes
 * 0, 1, ...), read with ImageIO (PNG, JPEG, GIF, BMP), made grey or RGB and, when asked, resized
 * to a network's input. Pixel values are scaled to [0, 1], as Fashion-MNIST's are.
 * <pre>
 * ImageFolder.Split s = ImageFolder.of(Path.of("shoes")).split(0.2, 42);
 * ArrayDataset train = s.train().resizedFor(net), test = s.test().resizedFor(net);
 * </pre>
 */
public final class ImageFolder {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

    private ImageFolder() {}

    /** Image files with their labels (or none) and the class names. */
    public record Images(Path root, List<Path> files, int[] labels, List<String> classes) {
        public int size() { return files.size(); }

        /**
         * Every image as it is: all must have the same size (the first that differs is named) and
         * are grey when every image is grey, else RGB.
         */
        public ArrayDataset dataset() {
            List<Decoded> images = read();
            Decoded first = images.get(0);
            int channels = 1;
            for (int i = 0; i < images.size(); i++) {
                Decoded d = images.get(i);
                if (d.height() != first.height() || d.width() != first.width()) {
                    throw new NetbookException(files.get(i) + ": " + d.width() + "x" + d.height() + " pixels but " + files.get(0)
                            + " has " + first.width() + "x" + first.height() + "; images of mixed sizes need a resize: resizedFor(net) or resized(...)");
                }
                channels = Math.max(channels, d.planes().length);
            }
            return pixels(images.stream().map(Decoded::planes).toList(), channels, first.height(), first.width());
        }

        /** Every image made grey or RGB and resized (bilinear) to the network's (C, H, W) input. */
        public ArrayDataset resizedFor(Net net) {
            Shape in = net.inputShape();
            if (in.rank() != 3 || (in.dim(0) != 1 && in.dim(0) != 3)) {
                throw new NetbookException(net.name() + " takes " + in + "; images need a (1 or 3, H, W) input");
            }
            return resized((int) in.dim(0), (int) in.dim(1), (int) in.dim(2));
        }

        /** Every image made grey (1 channel) or RGB (3) and resized (bilinear, as PyTorch's interpolate) to height x width. */
        public ArrayDataset resized(int channels, int height, int width) {
            List<float[][]> out = new ArrayList<>();
            for (Decoded d : read()) {
                float[][] r = new float[d.planes().length][];
                for (int c = 0; c < r.length; c++) r[c] = bilinear(d.planes()[c], d.height(), d.width(), height, width);
                out.add(r);
            }
            return pixels(out, channels, height, width);
        }

        /** Each image as 1 (grey) or 3 (RGB) planes of values in [0, 1], read from its raster (no colour conversion). */
        private List<Decoded> read() {
            if (files.isEmpty()) throw new NetbookException(root + ": no images (" + String.join(", ", EXTENSIONS) + "); the data set is empty");
            List<Decoded> out = new ArrayList<>();
            for (int n = 0; n < files.size(); n++) out.add(decode(n));
            return out;
        }

        /** Image {@code n} decoded; an unreadable file is an error naming it. */
        private Decoded decode(int n) {
            Path f = files.get(n);
            BufferedImage b;
            try {
                b = ImageIO.read(f.toFile());
            } catch (IOException | RuntimeException e) {
                throw new NetbookException(f + ": not a readable image (" + e.getMessage() + ")", e);
            }
            if (b == null) throw new NetbookException(f + ": not a readable image (no ImageIO reader recognises it)");
            return new Decoded(planes(b), b.getHeight(), b.getWidth());
        }

        private static float[][] planes(BufferedImage b) {
            int hh = b.getHeight();
            int ww = b.getWidth();
            var raster = b.getRaster();
            var cm = b.getColorModel();
            boolean indexed = cm instanceof java.awt.image.IndexColorModel;
            int bits = raster.getSampleModel().getSampleSize(0);
            float max = (1 << bits) - 1;
            if (!indexed && cm.getNumColorComponents() == 1) {
                float[] g = new float[hh * ww];
                for (int i = 0; i < hh; i++) for (int j = 0; j < ww; j++) g[i * ww + j] = raster.getSample(j, i, 0) / max;
                return new float[][] {g};
            }
            float[][] rgb = new float[3][hh * ww];
            for (int i = 0; i < hh; i++) {
                for (int j = 0; j < ww; j++) {
                    if (indexed) {
                        int v = b.getRGB(j, i);
                        rgb[0][i * ww + j] = (v >> 16 & 0xff) / 255f;
                        rgb[1][i * ww + j] = (v >> 8 & 0xff) / 255f;
                        rgb[2][i * ww + j] = (v & 0xff) / 255f;
                    } else {
                        for (int c = 0; c < 3; c++) rgb[c][i * ww + j] = raster.getSample(j, i, c) / max;
                    }
                }
            }
            return rgb;
        }

        /** Bilinear resampling with half-pixel centres (PyTorch's interpolate, align_corners=False); the identity at equal sizes. */
        static float[] bilinear(float[] src, int h, int w, int oh, int ow) {
            if (h == oh && w == ow) return src;
            float[] out = new float[oh * ow];
            for (int i = 0; i < oh; i++) {
                double y = Math.max(0, (i + 0.5) * h / oh - 0.5);
                int y0 = Math.min((int) y, h - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                double fy = y - y0;
                for (int j = 0; j < ow; j++) {
                    double x = Math.max(0, (j + 0.5) * w / ow - 0.5);
                    int x0 = Math.min((int) x, w - 1);
                    int x1 = Math.min(x0 + 1, w - 1);
                    double fx = x - x0;
                    double top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
                    double bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
                    out[i * ow + j] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
            return out;
        }

        private ArrayDataset pixels(List<float[][]> images, int channels, int height, int width) {
            int size = channels * height * width;
            float[] x = new float[images.size() * size];
            for (int n = 0; n < images.size(); n++) channels(images.get(n), channels, height * width, x, n * size);
            ArrayDataset d = new ArrayDataset(root.getFileName() + " (" + size() + " images)", x, Shape.of(channels, height, width), labels,
                    classes.size(), hash());
            return classes.isEmpty() ? d : d.withClassNames(classes);
        }

        /** One image's planes as {@code channels} channels (grey made RGB by repeating it, colour made grey by BT.601 luma) at {@code dst[offset]}. */
        private static void channels(float[][] p, int channels, int plane, float[] dst, int offset) {
            for (int k = 0; k < plane; k++) {
                if (channels == 1) {
                    dst[offset + k] = p.length == 1 ? p[0][k] : (float) (0.299 * p[0][k] + 0.587 * p[1][k] + 0.114 * p[2][k]);
                } else {
                    for (int c = 0; c < 3; c++) dst[offset + c * plane + k] = p[p.length == 1 ? 0 : c][k];
                }
            }
        }

        /**
         * The images as a {@link Dataset} read from disk batch by batch (decoded, made grey or RGB
         * and resized for the network when training asks for them), for folders too large to hold
         * decoded in memory. The same values as {@link #resizedFor}.
         */
        public Dataset streamedFor(Net net) {
            Shape in = net.inputShape();
            if (in.rank() != 3 || (in.dim(0) != 1 && in.dim(0) != 3)) {
                throw new NetbookException(net.name() + " takes " + in + "; images need a (1 or 3, H, W) input");
            }
            if (files.isEmpty()) throw new NetbookException(root + ": no images (" + String.join(", ", EXTENSIONS) + "); the data set is empty");
            Images images = this;
            int channels = (int) in.dim(0);
            int height = (int) in.dim(1);
            int width = (int) in.dim(2);
            String hash = hash();
            return new Dataset() {
                @Override public String name() { return root.getFileName() + " (" + size() + " images, streamed)"; }
                @Override public int size() { return files.size(); }
                @Override public Shape shape() { return in; }
                @Override public int classes() { return classes.size(); }
                @Override public boolean hasLabels() { return labels != null; }
                @Override public int label(int i) { return labels[i]; }
                @Override public List<String> classNames() { return classes.isEmpty() ? Dataset.super.classNames() : classes; }
                @Override public String sourceHash() { return hash; }

                @Override
                public void read(int[] idx, float[] dst) {
                    int size = channels * height * width;
                    for (int i = 0; i < idx.length; i++) {
                        Decoded d = images.decode(idx[i]);
                        float[][] r = new float[d.planes().length][];
                        for (int c = 0; c < r.length; c++) r[c] = bilinear(d.planes()[c], d.height(), d.width(), height, width);
                        channels(r, channels, height * width, dst, i * size);
                    }
                }

                @Override public String toString() { return name(); }
            };
        }

        private String hash() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (Path f : files) {
                    sha.update(root.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update(Files.readAllBytes(f));
                }
                return java.util.HexFormat.of().formatHex(sha.digest());
            } catch (Exception e) {
                throw new NetbookException(root + ": cannot hash the images (" + e.getMessage() + ")", e);
            }
        }

        private Images subset(int[] idx) {
            List<Path> f = new ArrayList<>();
            int[] l = labels == null ? null : new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                f.add(files.get(idx[i]));
                if (l != null) l[i] = labels[idx[i]];
            }
            return new Images(root, f, l, classes);
        }
    }

    /** One image's planes (1 grey or 3 RGB, values in [0, 1]) and size. */
    private record Decoded(float[][] planes, int height, int width) {}

    /** A seeded train/test split of a labelled folder. */
    public record Split(Images train, Images test) {}

    /** The images of {@code dir}, one sub-folder per class. */
    public static Labelled of(Path dir) {
        if (!Files.isDirectory(dir)) throw new NetbookException(dir + ": not a folder");
        List<Path> classDirs = list(dir).stream().filter(Files::isDirectory).sorted().toList();
        if (classDirs.isEmpty()) {
            throw new NetbookException(dir + ": no sub-folders; put each class's images in a folder of its own (" + dir + "/CLASS/IMAGE.png)");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < classDirs.size(); k++) {
            Path c = classDirs.get(k);
            classes.add(c.getFileName().toString());
            List<Path> images = list(c).stream().filter(ImageFolder::isImage).sorted().toList();
            if (images.isEmpty()) throw new NetbookException(c + ": no images (" + String.join(", ", EXTENSIONS) + ") in this class folder");
            for (Path f : images) {
                files.add(f);
                labels.add(k);
            }
        }
        if (classes.size() < 2) throw new NetbookException(dir + ": one class folder (" + classes.get(0) + "); a classifier needs at least 2");
        return new Labelled(new Images(dir, files, labels.stream().mapToInt(Integer::intValue).toArray(), classes));
    }

    /** The images directly in {@code dir} (or in its sub-folders), without labels: images to predict. */
    public static Images unlabelled(Path dir) {
        if (!Files.isDirectory(dir)) throw new NetbookException(dir + ": not a folder");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
        } catch (IOException e) {
            throw new NetbookException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
        return new Images(dir, files, null, List.of());
    }

    /** A labelled folder: all of it, or a seeded split. */
    public record Labelled(Images images) {
        public Split split(double testFraction, long seed) {
            if (!(testFraction > 0 && testFraction < 1)) throw new NetbookException("split: the test fraction must be in (0, 1), received " + testFraction);
            int n = images.size();
            int nTest = Math.max(1, (int) Math.round(n * testFraction));
            if (nTest >= n) throw new NetbookException(images.root() + ": " + n + " images are too few to split");
            int[] perm = ArrayDataset.permutation(n, new java.util.Random(seed));
            return new Split(images.subset(Arrays.copyOfRange(perm, nTest, n)), images.subset(Arrays.copyOf(perm, nTest)));
        }

        public List<String> classes() { return images.classes(); }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new NetbookException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }
}
