package netbook.render;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import netbook.dsl.NetbookException;

/**
 * Grey-scale images side by side: one grid row per array of images (originals, reconstructions,
 * samples of each class), values mapped from a range to black..white, enlarged, 1-pixel gaps.
 * <pre>
 * Png grid = ImageGrid.of(28, 28).columns(16).range(-0.5, 0.5).scale(2)
 *         .row(originals).row(reconstructions).png();      // shown by the kernel; grid.save(file)
 * </pre>
 * Settings are immutable steps; each returns a new grid.
 */
public final class ImageGrid {
    private final int height;
    private final int width;
    private final int columns;
    private final double lo;
    private final double hi;
    private final int scale;
    private final List<float[]> rows;

    private ImageGrid(int height, int width, int columns, double lo, double hi, int scale, List<float[]> rows) {
        this.height = height;
        this.width = width;
        this.columns = columns;
        this.lo = lo;
        this.hi = hi;
        this.scale = scale;
        this.rows = List.copyOf(rows);
    }

    /** A grid of {@code height x width} one-channel images; 8 columns, values in [0, 1], scale 1 by default. */
    public static ImageGrid of(int height, int width) {
        if (height < 1 || width < 1) throw new NetbookException("ImageGrid.of: images are at least 1x1, received " + height + "x" + width);
        return new ImageGrid(height, width, 8, 0, 1, 1, List.of());
    }

    /** At most {@code n} images per row. */
    public ImageGrid columns(int n) {
        if (n < 1) throw new NetbookException("ImageGrid.columns: at least 1, received " + n);
        return new ImageGrid(height, width, n, lo, hi, scale, rows);
    }

    /** Values at {@code lo} are black, at {@code hi} white; outside, clipped. */
    public ImageGrid range(double lo, double hi) {
        if (!(hi > lo)) throw new NetbookException("ImageGrid.range: hi must exceed lo, received [" + lo + ", " + hi + "]");
        return new ImageGrid(height, width, columns, lo, hi, scale, rows);
    }

    /** Each pixel drawn as {@code s x s}. */
    public ImageGrid scale(int s) {
        if (s < 1 || s > 16) throw new NetbookException("ImageGrid.scale: 1 to 16, received " + s);
        return new ImageGrid(height, width, columns, lo, hi, s, rows);
    }

    /** A row: images of height x width one after another (row-major); the first {@link #columns} are drawn. */
    public ImageGrid row(float[] images) {
        if (images == null || images.length < height * width) {
            throw new NetbookException("ImageGrid.row " + (rows.size() + 1) + ": needs at least one " + height + "x" + width
                    + " image (" + height * width + " values), received " + (images == null ? "null" : images.length + " values"));
        }
        List<float[]> more = new ArrayList<>(rows);
        more.add(images.clone());
        return new ImageGrid(height, width, columns, lo, hi, scale, more);
    }

    /** The grid as an image (grey gaps between the cells). */
    public BufferedImage image() {
        if (rows.isEmpty()) throw new NetbookException("ImageGrid: no rows; add images with row(float[])");
        int gap = 1;
        int w = columns * (width * scale + gap) + gap;
        int h = rows.size() * (height * scale + gap) + gap;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, 96);
        int cell = height * width;
        float flo = (float) lo;
        float fhi = (float) hi;
        for (int r = 0; r < rows.size(); r++) {
            float[] data = rows.get(r);
            for (int c = 0; c < columns && (c + 1) * cell <= data.length; c++) {
                for (int i = 0; i < height * scale; i++) {
                    for (int j = 0; j < width * scale; j++) {
                        float v = data[c * cell + (i / scale) * width + j / scale];
                        int g = Math.round(255 * Math.max(0, Math.min(1, (v - flo) / (fhi - flo))));
                        img.getRaster().setSample(gap + c * (width * scale + gap) + j, gap + r * (height * scale + gap) + i, 0, g);
                    }
                }
            }
        }
        return img;
    }

    /** The grid as PNG: shown by the kernel, {@code save(file)} writes it atomically. */
    public Png png() {
        return Png.of(image());
    }

    @Override
    public String toString() {
        return "ImageGrid[" + rows.size() + " rows of up to " + columns + " " + height + "x" + width + " images]";
    }
}
