package netbook.zoo;

import static netbook.dsl.Layers.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;

/**
 * VGG (Simonyan and Zisserman, arXiv 1409.1556) as torchvision's {@code make_layers} builds it:
 * stacks of 3x3 pad-1 convolutions (each with batch norm in the {@code _bn} models) and ReLU, a
 * 2x2 max-pool after each of five stacks, a 7x7 adaptive pool and a 4096-4096 classifier. The
 * paper's configurations A, B, D and E come from one table, {@link #CONFIGS}.
 * <pre>
 * Vgg.of(16).build();                 // 138,357,544 parameters, 15.47 GMACs
 * Vgg.of(16).batchNorm(true).build();     // 138,365,992
 * </pre>
 * Parameters [src, torchvision]: VGG-11 132,863,336 (BN 132,868,840), VGG-13 133,047,848
 * (133,053,736), VGG-16 138,357,544 (138,365,992), VGG-19 143,667,240 (143,678,248).
 */
public final class Vgg {
    private Vgg() {}

    /** A max-pool in a configuration list. */
    public static final int M = 0;

    /** The paper's Table 1: filters of each 3x3 convolution, {@link #M} for a max-pool. */
    public static final Map<Character, List<Integer>> CONFIGS = Map.of(
            'A', List.of(64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M),
            'B', List.of(64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M),
            'D', List.of(64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M),
            'E', List.of(64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M));

    /** Weight layers to configuration letter. */
    public static final Map<Integer, Character> DEPTHS = Map.of(11, 'A', 13, 'B', 16, 'D', 19, 'E');

    /**
     * @param depth 11, 13, 16 or 19
     * @param batchNorm batch norm after every convolution (torchvision's {@code vgg16_bn})
     * @param input image shape, (3, 224, 224) for ImageNet
     * @param classes output classes
     * @param widthDivisor convolution filters divided by this (1 in the paper)
     * @param hidden units of the two hidden classifier layers (4096 in the paper)
     * @param pool adaptive pool size before the classifier (7), or 0 for none
     * @param ceilPools max-pools in ceil mode, so five of them fit a 28x28 image
     */
    public record Config(int depth, boolean batchNorm, long[] input, int classes, int widthDivisor, int hidden,
                         int pool, boolean ceilPools) {
        /** The paper's configuration D (VGG-16) as torchvision builds it: 3x224x224, 1000 classes, no batch norm. */
        public static final Config DEFAULT = new Config(16, false, new long[] {3, 224, 224}, 1000, 1, 4096, 7, false);

        public Config depth(int d) { return new Config(d, batchNorm, input, classes, widthDivisor, hidden, pool, ceilPools); }
        public Config batchNorm(boolean on) { return new Config(depth, on, input, classes, widthDivisor, hidden, pool, ceilPools); }
        public Config input(long... dims) { return new Config(depth, batchNorm, dims, classes, widthDivisor, hidden, pool, ceilPools); }
        public Config classes(int n) { return new Config(depth, batchNorm, input, n, widthDivisor, hidden, pool, ceilPools); }
        public Config widthDivisor(int d) { return new Config(depth, batchNorm, input, classes, d, hidden, pool, ceilPools); }
        public Config hidden(int units) { return new Config(depth, batchNorm, input, classes, widthDivisor, units, pool, ceilPools); }
        public Config pool(int size) { return new Config(depth, batchNorm, input, classes, widthDivisor, hidden, size, ceilPools); }
        public Config ceilPools(boolean on) { return new Config(depth, batchNorm, input, classes, widthDivisor, hidden, pool, on); }

        /**
         * Preset for 1x28x28 images: a quarter of the filters (16-32-64-128-128), ceil-mode
         * pools (28, 14, 7, 4, 2, 1), no adaptive pool, a 512-512 classifier: 8.8 M
         * multiply-accumulates per image for VGG-11, 17 M for VGG-16.
         */
        public Config small() { return input(1, 28, 28).widthDivisor(4).hidden(512).pool(0).ceilPools(true); }

        public Net build() { return Vgg.build(this); }

        @Override
        public String toString() {
            return "Vgg.Config[depth=" + depth + ", batchNorm=" + batchNorm + ", input=" + java.util.Arrays.toString(input) + ", classes=" + classes
                    + ", widthDivisor=" + widthDivisor + ", hidden=" + hidden + ", pool=" + pool + ", ceilPools=" + ceilPools + "]";
        }
    }

    /** {@link Config#DEFAULT} at this depth: <pre>Vgg.of(11).batchNorm(true).small().classes(10).build()</pre> */
    public static Config of(int depth) {
        return Config.DEFAULT.depth(depth);
    }

    static Net build(Config c) {
        Character letter = DEPTHS.get(c.depth());
        if (letter == null) {
            throw new NetbookException("VGG depth " + c.depth() + " is not one of " + new java.util.TreeSet<>(DEPTHS.keySet()));
        }
        String name = "vgg" + c.depth() + (c.batchNorm() ? "-bn" : "") + (c.widthDivisor() > 1 ? "-small" : "");
        Net net = Net.input(c.input()).named(name);
        List<Layer> stack = new ArrayList<>();
        int stage = 1;
        for (int v : CONFIGS.get(letter)) {
            if (v == M) {
                stack.add(c.ceilPools() ? maxPool(2).ceil() : maxPool(2));
                net = net.add(seq(stack.toArray(Layer[]::new)).named("stage" + stage++));
                stack.clear();
            } else {
                stack.add(conv(v / c.widthDivisor(), 3).padding(1));
                if (c.batchNorm()) {
                    stack.add(batchNorm());
                }
                stack.add(relu());
            }
        }
        if (c.pool() > 0) {
            net = net.add(adaptiveAvgPool(c.pool(), c.pool()));
        }
        return net.add(flatten(),                                                    // (N, 25088) at 224
                linear(c.hidden()).named("fc6"), relu(), dropout(0.5),
                linear(c.hidden()).named("fc7"), relu(), dropout(0.5),
                linear(c.classes()).named("fc8"));
    }
}
