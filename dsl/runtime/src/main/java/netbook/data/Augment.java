package netbook.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;

/**
 * Seeded image augmentation applied to each training batch: a random crop of the image padded
 * with {@code pad} zero pixels on every side (the crop is the image's own size, so it shifts the
 * content by up to {@code pad} pixels), a horizontal flip with probability 1/2, and, when asked
 * for, random erasing. The draws come from the run's seed, epoch and step, so a run (and a resumed
 * one) is reproducible.
 * <pre>
 * Fit.of(net, train).augment(Augment.cropAndFlip(4))                        // CIFAR's usual recipe
 * Fit.of(net, train).augment(Augment.cropAndFlip(2).withErasing(0.5))       // plus random erasing
 * </pre>
 *
 * <p>Random erasing (Zhong et al., "Random Erasing Data Augmentation", 2017) replaces one
 * rectangle of an image, with probability {@code eraseProbability}, by random pixel values: its
 * area a uniform 2% to 40% of the image, its aspect ratio (height over width) log-uniform between
 * 0.3 and 1/0.3, its place uniform among those where it fits whole. The values are uniform in
 * [0, 1), the range of the pixels {@link FashionMnist} and {@link ImageFolder} give; the paper
 * found random values better than a constant. It runs after the crop and flip. The default is no
 * erasing (probability 0): with it off, the draws are those of crops and flips alone, so runs made
 * before it existed repeat exactly.
 *
 * @param pad pixels of zero padding around the image before the random crop; 0 for no crop
 * @param flip whether to flip horizontally with probability 1/2
 * @param eraseProbability the chance that an image gets one erased rectangle, 0 (default) to 1
 */
public record Augment(int pad, boolean flip, double eraseProbability) {
    /** The smallest and largest share of the image one erased rectangle covers (the paper's s_l, s_h). */
    static final double ERASE_MIN_AREA = 0.02, ERASE_MAX_AREA = 0.4;
    /** The smallest aspect ratio of an erased rectangle (the paper's r_1); the largest is its inverse. */
    static final double ERASE_MIN_ASPECT = 0.3;

    public Augment {
        if (pad < 0) throw new NetbookException("Augment: the crop padding must be zero or positive, received " + pad);
        if (!(eraseProbability >= 0 && eraseProbability <= 1)) {
            throw new NetbookException("Augment.withErasing: the probability must lie in [0, 1], received " + eraseProbability);
        }
    }

    /** Crop with {@code pad} pixels of padding and flips as asked, no erasing. */
    public Augment(int pad, boolean flip) { this(pad, flip, 0); }

    /** Random crop with {@code pad} pixels of padding, and horizontal flips. */
    public static Augment cropAndFlip(int pad) { return new Augment(pad, true); }

    /** Horizontal flips only. */
    public static Augment flips() { return new Augment(0, true); }

    /**
     * The augmentation a command-line option or a sweep setting names: crops with {@code cropPad}
     * pixels of padding and flips (-1 for neither), then random erasing with {@code eraseProbability}
     * (0 for none); empty when both are off.
     */
    public static Optional<Augment> fromSettings(int cropPad, double eraseProbability) {
        if (cropPad < 0 && eraseProbability == 0) return Optional.empty();
        return Optional.of((cropPad >= 0 ? cropAndFlip(cropPad) : new Augment(0, false)).withErasing(eraseProbability));
    }

    /** The same crops and flips, and random erasing of one rectangle with this probability (the paper's 0.5 is a good start). */
    public Augment withErasing(double probability) { return new Augment(pad, flip, probability); }

    /** A short description for tables and logs, e.g. "random crop (pad 2), horizontal flip and random erasing (p 0.5)". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (pad > 0) parts.add("random crop (pad " + pad + ")");
        if (flip) parts.add("horizontal flip");
        if (eraseProbability > 0) parts.add("random erasing (p " + eraseProbability + ")");
        if (parts.isEmpty()) return "none";
        String last = parts.remove(parts.size() - 1);
        return parts.isEmpty() ? last : String.join(", ", parts) + " and " + last;
    }

    /** Augments {@code n} examples of {@code shape} (C, H, W) stored one after another in {@code x}, in place. */
    public void apply(float[] x, int n, Shape shape, Random rnd) {
        if (shape.rank() != 3) throw new NetbookException("Augment: images of (C, H, W) only, received examples of " + shape);
        int c = (int) shape.dim(0);
        int h = (int) shape.dim(1);
        int w = (int) shape.dim(2);
        int size = c * h * w;
        float[] src = new float[size];
        for (int e = 0; e < n; e++) {
            int dy = pad == 0 ? 0 : rnd.nextInt(2 * pad + 1) - pad;
            int dx = pad == 0 ? 0 : rnd.nextInt(2 * pad + 1) - pad;
            boolean mirror = flip && rnd.nextBoolean();
            if (dy != 0 || dx != 0 || mirror) {
                System.arraycopy(x, e * size, src, 0, size);
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            int si = i + dy;
                            int sj = (mirror ? w - 1 - j : j) + dx;
                            x[e * size + (ch * h + i) * w + j] = si < 0 || si >= h || sj < 0 || sj >= w ? 0 : src[(ch * h + si) * w + sj];
                        }
                    }
                }
            }
            // No draw at all when erasing is off, so crop-and-flip runs keep their random sequence.
            if (eraseProbability > 0 && rnd.nextDouble() < eraseProbability) erase(x, e * size, c, h, w, rnd);
        }
    }

    /**
     * One erased rectangle, as the paper's Algorithm 1: draw an area and an aspect ratio, and retry
     * (up to 100 times, then leave the image whole) while the rectangle does not fit in the image.
     */
    private static void erase(float[] x, int offset, int c, int h, int w, Random rnd) {
        double logMin = Math.log(ERASE_MIN_ASPECT);
        for (int attempt = 0; attempt < 100; attempt++) {
            double area = h * w * (ERASE_MIN_AREA + (ERASE_MAX_AREA - ERASE_MIN_AREA) * rnd.nextDouble());
            double aspect = Math.exp(logMin + (-2 * logMin) * rnd.nextDouble());
            int eh = (int) Math.round(Math.sqrt(area * aspect));
            int ew = (int) Math.round(Math.sqrt(area / aspect));
            if (eh < 1 || ew < 1 || eh > h || ew > w) continue;
            int top = rnd.nextInt(h - eh + 1);
            int left = rnd.nextInt(w - ew + 1);
            for (int ch = 0; ch < c; ch++) {
                for (int i = top; i < top + eh; i++) {
                    for (int j = left; j < left + ew; j++) x[offset + (ch * h + i) * w + j] = rnd.nextFloat();
                }
            }
            return;
        }
    }
}
