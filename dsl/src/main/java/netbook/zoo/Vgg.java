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
 * Vgg.of(16).batchNorm().build();     // 138,365,992
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
     * @param bn batch norm after every convolution (torchvision's {@code vgg16_bn})
     * @param input image shape, (3, 224, 224) for ImageNet
     * @param classes output classes
     * @param widthDivisor convolution filters divided by this (1 in the paper)
     * @param hidden units of the two hidden classifier layers (4096 in the paper)
     * @param pool adaptive pool size before the classifier (7), or 0 for none
     * @param ceilPools max-pools in ceil mode, so five of them fit a 28x28 image
     */
    public record Config(int depth, boolean bn, long[] input, int classes, int widthDivisor, int hidden,
                         int pool, boolean ceilPools) {
        public Config batchNorm() { return new Config(depth, true, input, classes, widthDivisor, hidden, pool, ceilPools); }
        public Config input(long... dims) { return new Config(depth, bn, dims, classes, widthDivisor, hidden, pool, ceilPools); }
        public Config classes(int n) { return new Config(depth, bn, input, n, widthDivisor, hidden, pool, ceilPools); }

        /**
         * The layout for 1x28x28 images: a quarter of the filters (16-32-64-128-128), ceil-mode
         * pools (28, 14, 7, 4, 2, 1), no adaptive pool, a 512-512 classifier: 8.8 M
         * multiply-accumulates per image for VGG-11, 17 M for VGG-16.
         */
        public Config small() { return new Config(depth, bn, new long[] {1, 28, 28}, classes, 4, 512, 0, true); }

        public Net build() { return Vgg.build(this); }
    }

    /** ImageNet defaults for this depth, without batch norm. */
    public static Config of(int depth) {
        return new Config(depth, false, new long[] {3, 224, 224}, 1000, 1, 4096, 7, false);
    }

    /** The small layout (see {@link Config#small()}) for 1x28x28 images. */
    public static Net small(int depth, boolean batchNorm, int classes) {
        Config c = of(depth).small().classes(classes);
        return (batchNorm ? c.batchNorm() : c).build();
    }

    static Net build(Config c) {
        Character letter = DEPTHS.get(c.depth());
        if (letter == null) {
            throw new NetbookException("VGG depth " + c.depth() + " is not one of " + new java.util.TreeSet<>(DEPTHS.keySet()));
        }
        String name = "vgg" + c.depth() + (c.bn() ? "-bn" : "") + (c.widthDivisor() > 1 ? "-small" : "");
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
                if (c.bn()) {
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
