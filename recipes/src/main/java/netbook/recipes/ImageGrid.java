package netbook.recipes;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import netbook.data.ArrayDataset;
import netbook.dsl.Shape;
import netbook.files.AtomicFiles;

/**
 * Grey-scale image grids as PNG (javax.imageio), written atomically, and the small data
 * transforms the VQ recipes share.
 */
final class ImageGrid {
    private ImageGrid() {}

    /**
     * One grid row per array; each array holds {@code cols} images of {@code h x w} (one channel),
     * values mapped from [lo, hi] to black..white, scaled up {@code scale} times, 1-pixel gaps.
     */
    static void png(Path file, List<float[]> rows, int cols, int h, int w, float lo, float hi, int scale) throws IOException {
        int gap = 1;
        int width = cols * (w * scale + gap) + gap;
        int height = rows.size() * (h * scale + gap) + gap;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) img.getRaster().setSample(x, y, 0, 96);
        for (int r = 0; r < rows.size(); r++) {
            float[] data = rows.get(r);
            for (int c = 0; c < cols && (c + 1) * h * w <= data.length; c++) {
                for (int i = 0; i < h * scale; i++) {
                    for (int j = 0; j < w * scale; j++) {
                        float v = data[c * h * w + (i / scale) * w + j / scale];
                        int g = Math.round(255 * Math.max(0, Math.min(1, (v - lo) / (hi - lo))));
                        img.getRaster().setSample(gap + c * (w * scale + gap) + j, gap + r * (h * scale + gap) + i, 0, g);
                    }
                }
            }
        }
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }

    /** The first {@code n} images of a row-major (N, 1, h, w) array. */
    static float[] first(float[] images, int n, int h, int w) {
        return java.util.Arrays.copyOf(images, n * h * w);
    }

    /** Features shifted by {@code delta} and zero-padded by {@code pad} on every side (after the shift). */
    static ArrayDataset shiftAndPad(ArrayDataset d, float delta, int pad) {
        Shape s = d.shape();
        int h = (int) s.dim(1);
        int w = (int) s.dim(2);
        int ho = h + 2 * pad;
        int wo = w + 2 * pad;
        float[] src = new float[h * w];
        float[] out = new float[d.size() * ho * wo];
        int[] labels = new int[d.size()];
        for (int n = 0; n < d.size(); n++) {
            d.copyFeatures(n, src, 0);
            labels[n] = d.label(n);
            java.util.Arrays.fill(out, n * ho * wo, (n + 1) * ho * wo, delta);
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) out[n * ho * wo + (i + pad) * wo + j + pad] = src[i * w + j] + delta;
            }
        }
        return new ArrayDataset(d.name() + (pad > 0 ? " padded to " + ho + "x" + wo : "") + (delta != 0 ? " shifted " + delta : ""),
                out, Shape.of(1, ho, wo), labels, d.classes(), d.sourceHash());
    }

    /** Variance of every feature value of a data set (the paper's normaliser of the MSE). */
    static double variance(ArrayDataset d) {
        int n = (int) d.shape().size();
        float[] buf = new float[n];
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < d.size(); i++) {
            d.copyFeatures(i, buf, 0);
            for (float v : buf) {
                sum += v;
                sq += (double) v * v;
            }
        }
        double count = (double) n * d.size();
        double mean = sum / count;
        return sq / count - mean * mean;
    }
}
