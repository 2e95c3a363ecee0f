package netbook.data;

import java.util.Random;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;

/**
 * Seeded image augmentation applied to each training batch: a random crop of the image padded
 * with {@code pad} zero pixels on every side (the crop is the image's own size, so it shifts the
 * content by up to {@code pad} pixels), and a horizontal flip with probability 1/2. The draws
 * come from the run's seed, epoch and step, so a run (and a resumed one) is reproducible.
 * <pre>Fit.of(net, train).augment(Augment.cropAndFlip(4))      // CIFAR's usual recipe</pre>
 */
public record Augment(int pad, boolean flip) {
    public Augment {
        if (pad < 0) throw new NetbookException("Augment: the crop padding must be zero or positive, received " + pad);
    }

    /** Random crop with {@code pad} pixels of padding, and horizontal flips. */
    public static Augment cropAndFlip(int pad) { return new Augment(pad, true); }

    /** Horizontal flips only. */
    public static Augment flips() { return new Augment(0, true); }

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
            if (dy == 0 && dx == 0 && !mirror) continue;
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
    }
}
