package netbook.zoo;

import static netbook.dsl.Layers.*;
import static netbook.zoo.BasicConv.basic;
import static netbook.zoo.BasicConv.chain;
import static netbook.zoo.BasicConv.split;

import java.util.ArrayList;
import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.Net;

/**
 * Inception-v3 (Szegedy et al., "Rethinking the Inception Architecture", arXiv 1512.00567) as
 * torchvision's {@code inception_v3} builds it at 3x299x299: a stem of seven layers to 35x35x192,
 * three A blocks (5x5 as two 3x3), the B grid reduction to 17x17, four C blocks with 7x7
 * factorised into 1x7 and 7x1, the D reduction to 8x8, two E blocks with 3x3 split into
 * [1x3 || 3x1], global average pool, dropout 0.5, one linear layer. Every convolution is a
 * {@link BasicConv} unit; block and branch names are torchvision's ({@code mixed6b.branch7x7dbl}).
 * <p>AuxLogits reads the 17x17 output of mixed6e: 5x5/3 average pool, 1x1 conv 128, 5x5 conv
 * 768, global pool, linear. It is an {@code aux(0.4, ...)} head, so it exists only in training;
 * the weight 0.4 is TF-slim's ({@code train_image_classifier.py}), as torchvision gives none.
 * <p>Parameters: 27,161,264 [src, torchvision] with AuxLogits, 23,834,568 [computed] without;
 * 5.713 GMACs (torchvision).
 */
public final class InceptionV3 {
    /** Every width is divided by this: 1 for the paper's model. */
    private final int divisor;

    private InceptionV3(int divisor) {
        this.divisor = divisor;
    }

    /** The paper's size, or the same blocks for 1x28x28 images. */
    public enum Layout { FULL, SMALL }

    /**
     * @param layout  the full-size model or the small one for 1x28x28 images
     * @param classes output classes
     * @param aux     the AuxLogits head (training only), torchvision's default
     */
    public record Config(Layout layout, int classes, boolean aux) {
        /** torchvision's model at 3x299x299 for 1000 classes, with AuxLogits. */
        public static final Config DEFAULT = new Config(Layout.FULL, 1000, true);

        public Config {
            if (classes < 1) throw new netbook.dsl.NetbookException("InceptionV3: classes must be positive, received " + classes);
        }

        public Config classes(int n) { return new Config(layout, n, aux); }
        public Config aux(boolean on) { return new Config(layout, classes, on); }
        /** The same blocks for 1x28x28 images at an eighth of every width (about 8.7 M multiply-accumulates per image). */
        public Config small() { return new Config(Layout.SMALL, classes, aux); }

        public Net build() { return layout == Layout.FULL ? InceptionV3.full(classes, aux) : InceptionV3.small(classes, aux); }

        @Override
        public String toString() { return "InceptionV3.Config[layout=" + layout + ", classes=" + classes + ", aux=" + aux + "]"; }
    }

    /** {@link Config#DEFAULT}, to change with its withers: <pre>InceptionV3.of().aux(false).build()   InceptionV3.of().small().classes(10).build()</pre> */
    public static Config of() {
        return Config.DEFAULT;
    }

    /** torchvision's model at 3x299x299; {@code aux}: with AuxLogits (torchvision's default). */
    private static Net full(int classes, boolean aux) {
        InceptionV3 v3 = new InceptionV3(1);
        return Net.input(3, 299, 299).named(aux ? "inception-v3-aux" : "inception-v3").add(
                basic(conv(32, 3).stride(2)).named("conv1a"),                        // (N, 32, 149, 149)
                basic(conv(32, 3)).named("conv2a"),                                  // (N, 32, 147, 147)
                basic(conv(64, 3).padding(1)).named("conv2b"),                       // (N, 64, 147, 147)
                maxPool(3).stride(2).named("maxpool1"),                              // (N, 64, 73, 73)
                basic(conv(80, 1)).named("conv3b"),
                basic(conv(192, 3)).named("conv4a"),                                 // (N, 192, 71, 71)
                maxPool(3).stride(2).named("maxpool2")                               // (N, 192, 35, 35)
        ).add(v3.blocks(classes, aux, avgPool(5).stride(3)));                        // aux: (N, 768, 5, 5)
    }

    /**
     * The same blocks for 1x28x28 images with AuxLogits: an eighth of every width, a stride-1
     * padded stem with one max-pool, so the blocks run at 13x13 (A), 6x6 (C) and 2x2 (E); the aux
     * head pools its 6x6 input 2x2/1 to the 5x5 grid the full model has there. About 8.7 M
     * multiply-accumulates per image.
     */
    private static Net small(int classes, boolean aux) {
        InceptionV3 v3 = new InceptionV3(8);
        return Net.input(1, 28, 28).named(aux ? "inception-v3-small" : "inception-v3-small-no-aux").add(
                basic(conv(v3.w(32), 3).padding(1)).named("conv1a"),                 // (N, 4, 28, 28)
                basic(conv(v3.w(32), 3).padding(1)).named("conv2a"),
                basic(conv(v3.w(64), 3).padding(1)).named("conv2b"),                 // (N, 8, 28, 28)
                maxPool(3).stride(2).named("maxpool1"),                              // (N, 8, 13, 13)
                basic(conv(v3.w(80), 1)).named("conv3b"),
                basic(conv(v3.w(192), 3).padding(1)).named("conv4a")                 // (N, 24, 13, 13)
        ).add(v3.blocks(classes, aux, avgPool(2).stride(1)));                       // aux: (N, 96, 5, 5)
    }

    private int w(int channels) {
        return channels / divisor;
    }

    /** From 35x35x192 (full size) to the logits. */
    private Layer[] blocks(int classes, boolean aux, Layer auxPool) {
        List<Layer> b = new ArrayList<>(List.of(
                inceptionA(32).named("mixed5b"),                                     // (N, 256, 35, 35)
                inceptionA(64).named("mixed5c"),                                     // (N, 288, 35, 35)
                inceptionA(64).named("mixed5d"),
                inceptionB().named("mixed6a"),                                       // (N, 768, 17, 17)
                inceptionC(128).named("mixed6b"),
                inceptionC(160).named("mixed6c"),
                inceptionC(160).named("mixed6d"),
                inceptionC(192).named("mixed6e")));
        if (aux) {
            b.add(auxLogits(classes, auxPool).named("aux"));
        }
        b.addAll(List.of(
                inceptionD().named("mixed7a"),                                       // (N, 1280, 8, 8)
                inceptionE().named("mixed7b"),                                       // (N, 2048, 8, 8)
                inceptionE().named("mixed7c"),
                globalAvgPool().named("avgpool"),                                    // (N, 2048)
                dropout(0.5).named("dropout"),
                linear(classes).named("fc")));
        return b.toArray(Layer[]::new);
    }

    /** A: 1x1 || 1x1 -> 5x5 || 1x1 -> 3x3 -> 3x3 || avg-pool -> 1x1 (poolFeatures). */
    private Layer inceptionA(int poolFeatures) {
        return branches(
                chain(conv(w(64), 1)).named("branch1x1"),
                chain(conv(w(48), 1), conv(w(64), 5).padding(2)).named("branch5x5"),
                chain(conv(w(64), 1), conv(w(96), 3).padding(1), conv(w(96), 3).padding(1)).named("branch3x3dbl"),
                chain(avgPool(3).stride(1).padding(1), conv(w(poolFeatures), 1)).named("branch_pool"));
    }

    /** B, grid reduction 35 -> 17: 3x3/2 || 1x1 -> 3x3 -> 3x3/2 || max-pool 3/2. */
    private Layer inceptionB() {
        return branches(
                chain(conv(w(384), 3).stride(2)).named("branch3x3"),
                chain(conv(w(64), 1), conv(w(96), 3).padding(1), conv(w(96), 3).stride(2)).named("branch3x3dbl"),
                maxPool(3).stride(2).named("branch_pool"));
    }

    /** C: 1x1 || 1x1 -> 1x7 -> 7x1 || 1x1 -> 7x1 -> 1x7 -> 7x1 -> 1x7 || avg-pool -> 1x1. */
    private Layer inceptionC(int channels7x7) {
        int c7 = w(channels7x7);
        return branches(
                chain(conv(w(192), 1)).named("branch1x1"),
                chain(conv(c7, 1), conv(c7, 1, 7).padding(0, 3), conv(w(192), 7, 1).padding(3, 0)).named("branch7x7"),
                chain(conv(c7, 1), conv(c7, 7, 1).padding(3, 0), conv(c7, 1, 7).padding(0, 3),
                        conv(c7, 7, 1).padding(3, 0), conv(w(192), 1, 7).padding(0, 3)).named("branch7x7dbl"),
                chain(avgPool(3).stride(1).padding(1), conv(w(192), 1)).named("branch_pool"));
    }

    /** D, grid reduction 17 -> 8: 1x1 -> 3x3/2 || 1x1 -> 1x7 -> 7x1 -> 3x3/2 || max-pool 3/2. */
    private Layer inceptionD() {
        return branches(
                chain(conv(w(192), 1), conv(w(320), 3).stride(2)).named("branch3x3"),
                chain(conv(w(192), 1), conv(w(192), 1, 7).padding(0, 3), conv(w(192), 7, 1).padding(3, 0),
                        conv(w(192), 3).stride(2)).named("branch7x7x3"),
                maxPool(3).stride(2).named("branch_pool"));
    }

    /** E: 1x1 || 1x1 -> [1x3 || 3x1] || 1x1 -> 3x3 -> [1x3 || 3x1] || avg-pool -> 1x1. */
    private Layer inceptionE() {
        return branches(
                chain(conv(w(320), 1)).named("branch1x1"),
                chain(conv(w(384), 1), splitRowCol(w(384))).named("branch3x3"),
                chain(conv(w(448), 1), conv(w(384), 3).padding(1), splitRowCol(w(384))).named("branch3x3dbl"),
                chain(avgPool(3).stride(1).padding(1), conv(w(192), 1)).named("branch_pool"));
    }

    private static Layer splitRowCol(int filters) {
        return split(conv(filters, 1, 3).padding(0, 1), conv(filters, 3, 1).padding(1, 0));
    }

    /** AuxLogits on mixed6e: pool to 5x5, 1x1 conv 128, 5x5 conv 768, global pool, linear. */
    private Layer auxLogits(int classes, Layer pool) {
        return aux(0.4,
                pool,
                basic(conv(w(128), 1)).named("conv0"),
                basic(conv(w(768), 5)).named("conv1"),                               // (N, 768, 1, 1)
                globalAvgPool(),
                linear(classes).named("fc"));
    }
}
