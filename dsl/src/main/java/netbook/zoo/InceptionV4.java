package netbook.zoo;

import static netbook.dsl.Layers.*;
import static netbook.zoo.BasicConv.basic;
import static netbook.zoo.BasicConv.chain;
import static netbook.zoo.BasicConv.split;

import netbook.dsl.Layer;
import netbook.dsl.Net;

/**
 * Inception-v4 (Szegedy et al., arXiv 1602.07261, Figures 3-9) as timm's {@code inception_v4}
 * builds it at 3x299x299: the stem with its three mixed blocks to 35x35x384, 4 Inception-A,
 * Reduction-A (k, l, m, n = 192, 224, 256, 384) to 17x17x1024, 7 Inception-B, Reduction-B to
 * 8x8x1536, 3 Inception-C, global average pool, linear (timm's default drop rate is 0, so no
 * dropout). Every convolution is a {@link BasicConv} unit (timm's ConvNormAct, BN eps 1e-3); the
 * average pools leave padding out of the mean (count_include_pad=False).
 * <p>Parameters: 42,679,816 [computed] (timm's CSV: 42.68M); timm reports 12.28 GMACs.
 */
public final class InceptionV4 {
    /** Every width is divided by this: 1 for the paper's model. */
    private final int divisor;

    private InceptionV4(int divisor) {
        this.divisor = divisor;
    }

    /** The paper's size, or the same blocks for 1x28x28 images. */
    public enum Layout { FULL, SMALL }

    /**
     * @param layout  the full-size model or the small one for 1x28x28 images
     * @param classes output classes
     */
    public record Config(Layout layout, int classes) {
        /** timm's model at 3x299x299 for 1000 classes. */
        public static final Config DEFAULT = new Config(Layout.FULL, 1000);

        public Config {
            if (classes < 1) throw new netbook.dsl.NetbookException("InceptionV4: classes must be positive, received " + classes);
        }

        public Config classes(int n) { return new Config(layout, n); }
        /** The same blocks for 1x28x28 images at an eighth of every width (about 17 M multiply-accumulates per image). */
        public Config small() { return new Config(Layout.SMALL, classes); }

        public Net build() { return layout == Layout.FULL ? InceptionV4.full(classes) : InceptionV4.small(classes); }

        @Override
        public String toString() { return "InceptionV4.Config[layout=" + layout + ", classes=" + classes + "]"; }
    }

    /** {@link Config#DEFAULT}, to change with its withers: <pre>InceptionV4.of().small().classes(10).build()</pre> */
    public static Config of() {
        return Config.DEFAULT;
    }

    /** timm's model at 3x299x299. */
    private static Net full(int classes) {
        InceptionV4 v4 = new InceptionV4(1);
        return Net.input(3, 299, 299).named("inception-v4").add(
                basic(conv(32, 3).stride(2)).named("conv1a"),                        // (N, 32, 149, 149)
                basic(conv(32, 3)).named("conv2a"),                                  // (N, 32, 147, 147)
                basic(conv(64, 3).padding(1)).named("conv2b"),                       // (N, 64, 147, 147)
                v4.mixed3a(2).named("mixed3a"),                                      // (N, 160, 73, 73)
                v4.mixed4a().named("mixed4a"),                                       // (N, 192, 71, 71)
                v4.mixed5a().named("mixed5a")                                        // (N, 384, 35, 35)
        ).add(v4.blocks(classes));
    }

    /**
     * The same blocks for 1x28x28 images: an eighth of every width, stride 1 and padding 1 in the
     * stem's three convolutions and stride 1 in mixed3a, so the blocks run at 11x11 (A), 5x5 (B)
     * and 2x2 (C). About 17 M multiply-accumulates per image.
     */
    private static Net small(int classes) {
        InceptionV4 v4 = new InceptionV4(8);
        return Net.input(1, 28, 28).named("inception-v4-small").add(
                basic(conv(v4.w(32), 3).padding(1)).named("conv1a"),
                basic(conv(v4.w(32), 3).padding(1)).named("conv2a"),
                basic(conv(v4.w(64), 3).padding(1)).named("conv2b"),                 // (N, 8, 28, 28)
                v4.mixed3a(1).named("mixed3a"),                                      // (N, 20, 26, 26)
                v4.mixed4a().named("mixed4a"),                                       // (N, 24, 24, 24)
                v4.mixed5a().named("mixed5a")                                        // (N, 48, 11, 11)
        ).add(v4.blocks(classes));
    }

    private int w(int channels) {
        return channels / divisor;
    }

    /** From the 35x35x384 stem output (full size) to the logits. */
    private Layer[] blocks(int classes) {
        return new Layer[] {
                repeat(4, "unit", i -> inceptionA()).named("inceptionA"),             // (N, 384, 35, 35)
                reductionA().named("reductionA"),                                    // (N, 1024, 17, 17)
                repeat(7, "unit", i -> inceptionB()).named("inceptionB"),
                reductionB().named("reductionB"),                                    // (N, 1536, 8, 8)
                repeat(3, "unit", i -> inceptionC()).named("inceptionC"),
                globalAvgPool().named("avgpool"),                                    // (N, 1536)
                linear(classes).named("fc")};
    }

    /** Stem, Fig. 3: [max-pool 3/s || 3x3/s 96]. */
    private Layer mixed3a(int stride) {
        return branches(maxPool(3).stride(stride), chain(conv(w(96), 3).stride(stride)));
    }

    /** Stem: [1x1 64 -> 3x3 96 || 1x1 64 -> 1x7 64 -> 7x1 64 -> 3x3 96], all valid. */
    private Layer mixed4a() {
        return branches(
                chain(conv(w(64), 1), conv(w(96), 3)),
                chain(conv(w(64), 1), conv(w(64), 1, 7).padding(0, 3), conv(w(64), 7, 1).padding(3, 0), conv(w(96), 3)));
    }

    /** Stem: [3x3/2 192 || max-pool 3/2]. */
    private Layer mixed5a() {
        return branches(chain(conv(w(192), 3).stride(2)), maxPool(3).stride(2));
    }

    /** Fig. 4, Inception-A: 1x1 96 || 1x1 64 -> 3x3 96 || 1x1 64 -> 3x3 96 -> 3x3 96 || avg-pool -> 1x1 96. */
    private Layer inceptionA() {
        return branches(
                chain(conv(w(96), 1)),
                chain(conv(w(64), 1), conv(w(96), 3).padding(1)),
                chain(conv(w(64), 1), conv(w(96), 3).padding(1), conv(w(96), 3).padding(1)),
                chain(avgPool(3).stride(1).padding(1).excludePad(), conv(w(96), 1)));
    }

    /** Fig. 7, Reduction-A with k, l, m, n = 192, 224, 256, 384: 3x3/2 n || 1x1 k -> 3x3 l -> 3x3/2 m || max-pool. */
    private Layer reductionA() {
        return branches(
                chain(conv(w(384), 3).stride(2)),
                chain(conv(w(192), 1), conv(w(224), 3).padding(1), conv(w(256), 3).stride(2)),
                maxPool(3).stride(2));
    }

    /** Fig. 5, Inception-B: 1x1 384 || 1x1 192 -> 1x7 224 -> 7x1 256 || 1x1 192 -> 7x1 -> 1x7 -> 7x1 -> 1x7 || avg-pool -> 1x1 128. */
    private Layer inceptionB() {
        return branches(
                chain(conv(w(384), 1)),
                chain(conv(w(192), 1), conv(w(224), 1, 7).padding(0, 3), conv(w(256), 7, 1).padding(3, 0)),
                chain(conv(w(192), 1), conv(w(192), 7, 1).padding(3, 0), conv(w(224), 1, 7).padding(0, 3),
                        conv(w(224), 7, 1).padding(3, 0), conv(w(256), 1, 7).padding(0, 3)),
                chain(avgPool(3).stride(1).padding(1).excludePad(), conv(w(128), 1)));
    }

    /** Fig. 8, Reduction-B: 1x1 192 -> 3x3/2 192 || 1x1 256 -> 1x7 256 -> 7x1 320 -> 3x3/2 320 || max-pool. */
    private Layer reductionB() {
        return branches(
                chain(conv(w(192), 1), conv(w(192), 3).stride(2)),
                chain(conv(w(256), 1), conv(w(256), 1, 7).padding(0, 3), conv(w(320), 7, 1).padding(3, 0),
                        conv(w(320), 3).stride(2)),
                maxPool(3).stride(2));
    }

    /** Fig. 6, Inception-C: 1x1 256 || 1x1 384 -> [1x3 || 3x1] || 1x1 384 -> 3x1 448 -> 1x3 512 -> [1x3 || 3x1] || avg-pool -> 1x1 256. */
    private Layer inceptionC() {
        return branches(
                chain(conv(w(256), 1)),
                chain(conv(w(384), 1), splitRowCol(w(256))),
                chain(conv(w(384), 1), conv(w(448), 3, 1).padding(1, 0), conv(w(512), 1, 3).padding(0, 1),
                        splitRowCol(w(256))),
                chain(avgPool(3).stride(1).padding(1).excludePad(), conv(w(256), 1)));
    }

    private static Layer splitRowCol(int filters) {
        return split(conv(filters, 1, 3).padding(0, 1), conv(filters, 3, 1).padding(1, 0));
    }
}
