package netbook.zoo;

import static netbook.dsl.Layers.*;
import static netbook.zoo.BasicConv.basic;
import static netbook.zoo.BasicConv.chain;

import netbook.dsl.Layer;
import netbook.dsl.Net;

/**
 * Inception-ResNet-v2 (Szegedy et al., arXiv 1602.07261) as timm's {@code inception_resnet_v2}
 * (and Keras) builds it at 3x299x299. The stem is Inception-v3's (not the v4 stem the paper draws
 * for this network) to 35x35x192, then mixed5b to 320 channels, 10 Block35 (Inception-ResNet-A,
 * residual scale 0.17), mixed6a (Reduction-A with k, l, m, n = 256, 256, 384, 384) to 17x17x1088,
 * 20 Block17 (scale 0.10), mixed7a to 8x8x2080, 9 Block8 (scale 0.20) and a tenth with scale 1.0
 * and no ReLU, a 1x1 conv to 1536, global average pool, linear.
 * <p>Each residual block is ReLU(x + scale * up(concat(branches))), {@code up} a 1x1 convolution
 * with bias and no BN. Other convolutions are {@link BasicConv} units (BN eps 1e-3); average pools
 * leave padding out of the mean (count_include_pad=False).
 * <p>Parameters: 55,843,464 [computed] (timm's CSV: 55.84M); timm reports 13.18 GMACs.
 */
public final class InceptionResNetV2 {
    /** Every width is divided by this: 1 for the paper's model. */
    private final int divisor;

    private InceptionResNetV2(int divisor) {
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
            if (classes < 1) throw new netbook.dsl.NetbookException("InceptionResNetV2: classes must be positive, received " + classes);
        }

        public Config classes(int n) { return new Config(layout, n); }
        /** The same blocks for 1x28x28 images at an eighth of every width (about 23 M multiply-accumulates per image). */
        public Config small() { return new Config(Layout.SMALL, classes); }

        public Net build() { return layout == Layout.FULL ? InceptionResNetV2.full(classes) : InceptionResNetV2.small(classes); }

        @Override
        public String toString() { return "InceptionResNetV2.Config[layout=" + layout + ", classes=" + classes + "]"; }
    }

    /** {@link Config#DEFAULT}, to change with its withers: <pre>InceptionResNetV2.of().small().classes(10).build()</pre> */
    public static Config of() {
        return Config.DEFAULT;
    }

    /** timm's model at 3x299x299. */
    private static Net full(int classes) {
        InceptionResNetV2 ir = new InceptionResNetV2(1);
        return Net.input(3, 299, 299).named("inception-resnet-v2").add(
                basic(conv(32, 3).stride(2)).named("conv1a"),                        // (N, 32, 149, 149)
                basic(conv(32, 3)).named("conv2a"),                                  // (N, 32, 147, 147)
                basic(conv(64, 3).padding(1)).named("conv2b"),                       // (N, 64, 147, 147)
                maxPool(3).stride(2).named("maxpool3a"),                             // (N, 64, 73, 73)
                basic(conv(80, 1)).named("conv3b"),
                basic(conv(192, 3)).named("conv4a"),                                 // (N, 192, 71, 71)
                maxPool(3).stride(2).named("maxpool5a")                              // (N, 192, 35, 35)
        ).add(ir.blocks(classes));
    }

    /**
     * The same blocks for 1x28x28 images: an eighth of every width, a stride-1 padded stem with one
     * max-pool, so the blocks run at 13x13 (Block35), 6x6 (Block17) and 2x2 (Block8). About 23 M
     * multiply-accumulates per image.
     */
    private static Net small(int classes) {
        InceptionResNetV2 ir = new InceptionResNetV2(8);
        return Net.input(1, 28, 28).named("inception-resnet-v2-small").add(
                basic(conv(ir.w(32), 3).padding(1)).named("conv1a"),
                basic(conv(ir.w(32), 3).padding(1)).named("conv2a"),
                basic(conv(ir.w(64), 3).padding(1)).named("conv2b"),                 // (N, 8, 28, 28)
                maxPool(3).stride(2).named("maxpool3a"),                             // (N, 8, 13, 13)
                basic(conv(ir.w(80), 1)).named("conv3b"),
                basic(conv(ir.w(192), 3).padding(1)).named("conv4a")                 // (N, 24, 13, 13)
        ).add(ir.blocks(classes));
    }

    private int w(int channels) {
        return channels / divisor;
    }

    /** From the 35x35x192 stem output (full size) to the logits. */
    private Layer[] blocks(int classes) {
        return new Layer[] {
                mixed5b().named("mixed5b"),                                          // (N, 320, 35, 35)
                repeat(10, "unit", i -> block35(0.17)).named("block35"),
                mixed6a().named("mixed6a"),                                          // (N, 1088, 17, 17)
                repeat(20, "unit", i -> block17(0.10)).named("block17"),
                mixed7a().named("mixed7a"),                                          // (N, 2080, 8, 8)
                repeat(10, "unit", i -> i < 9 ? block8(0.20, true) : block8(1.0, false)).named("block8"),
                basic(conv(w(1536), 1)).named("conv7b"),                             // (N, 1536, 8, 8)
                globalAvgPool().named("avgpool"),                                    // (N, 1536)
                linear(classes).named("fc")};
    }

    /** 1x1 96 || 1x1 48 -> 5x5 64 || 1x1 64 -> 3x3 96 -> 3x3 96 || avg-pool -> 1x1 64. */
    private Layer mixed5b() {
        return branches(
                chain(conv(w(96), 1)),
                chain(conv(w(48), 1), conv(w(64), 5).padding(2)),
                chain(conv(w(64), 1), conv(w(96), 3).padding(1), conv(w(96), 3).padding(1)),
                chain(avgPool(3).stride(1).padding(1).excludePad(), conv(w(64), 1)));
    }

    /** Inception-ResNet-A: [1x1 32 || 1x1 32 -> 3x3 32 || 1x1 32 -> 3x3 48 -> 3x3 64] -> 1x1 320. */
    private Layer block35(double scale) {
        return residualUnit(scale, true,
                branches(
                        chain(conv(w(32), 1)),
                        chain(conv(w(32), 1), conv(w(32), 3).padding(1)),
                        chain(conv(w(32), 1), conv(w(48), 3).padding(1), conv(w(64), 3).padding(1))),
                w(320));
    }

    /** Reduction-A: 3x3/2 384 || 1x1 256 -> 3x3 256 -> 3x3/2 384 || max-pool 3/2. */
    private Layer mixed6a() {
        return branches(
                chain(conv(w(384), 3).stride(2)),
                chain(conv(w(256), 1), conv(w(256), 3).padding(1), conv(w(384), 3).stride(2)),
                maxPool(3).stride(2));
    }

    /** Inception-ResNet-B: [1x1 192 || 1x1 128 -> 1x7 160 -> 7x1 192] -> 1x1 1088. */
    private Layer block17(double scale) {
        return residualUnit(scale, true,
                branches(
                        chain(conv(w(192), 1)),
                        chain(conv(w(128), 1), conv(w(160), 1, 7).padding(0, 3), conv(w(192), 7, 1).padding(3, 0))),
                w(1088));
    }

    /** Reduction-B: 1x1 256 -> 3x3/2 384 || 1x1 256 -> 3x3/2 288 || 1x1 256 -> 3x3 288 -> 3x3/2 320 || max-pool. */
    private Layer mixed7a() {
        return branches(
                chain(conv(w(256), 1), conv(w(384), 3).stride(2)),
                chain(conv(w(256), 1), conv(w(288), 3).stride(2)),
                chain(conv(w(256), 1), conv(w(288), 3).padding(1), conv(w(320), 3).stride(2)),
                maxPool(3).stride(2));
    }

    /** Inception-ResNet-C: [1x1 192 || 1x1 192 -> 1x3 224 -> 3x1 256] -> 1x1 2080. */
    private Layer block8(double scale, boolean relu) {
        return residualUnit(scale, relu,
                branches(
                        chain(conv(w(192), 1)),
                        chain(conv(w(192), 1), conv(w(224), 1, 3).padding(0, 1), conv(w(256), 3, 1).padding(1, 0))),
                w(2080));
    }

    /** x + scale * up(mixed(x)), then ReLU unless {@code relu} is false. */
    private static Layer residualUnit(double scale, boolean relu, Layer mixed, int channels) {
        Layer res = residual(mixed.named("mixed"), conv(channels, 1).named("up")).scale(scale).named("residual");
        return relu ? seq(res, relu()) : seq(res);
    }
}
