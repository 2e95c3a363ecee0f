package netbook.zoo;

import static netbook.dsl.Layers.*;
import static netbook.zoo.BasicConv.basic;
import static netbook.zoo.BasicConv.chain;

import java.util.Map;
import netbook.dsl.Layer;
import netbook.dsl.Net;

/**
 * GoogLeNet / Inception v1 (Szegedy et al., arXiv 1409.4842) as torchvision's {@code googlenet}
 * builds it: every convolution is a {@link BasicConv} unit (no bias, BN eps 1e-3, ReLU), max-pools
 * in ceil mode, nine Inception modules from the paper's Table 1 ({@link #TABLE1}), global average
 * pool, dropout 0.2, one linear layer.
 * <ul>
 * <li>{@link Config#aux()} adds the two auxiliary classifiers after 4a and 4d (loss weight 0.3).
 *     They are {@code aux(...)} heads, so they exist only in training.
 * <li>The third branch is torchvision's 1x1 -> 3x3 by default (a known torchvision bug, vision#906);
 *     {@link Config#true5x5()} gives the paper's 1x1 -> 5x5 pad 2.
 * </ul>
 * Parameters: 6,624,904 [src] without aux, 13,004,888 [computed] with; true 5x5: 7,005,832 and
 * 13,385,816 [computed]. 1.498 GMACs (torchvision) with the 3x3 branch. Not here: the paper's LRN
 * in the stem and its 5x5/3 average pool in the aux heads (torchvision pools to 4x4 adaptively).
 * <pre>Net g = GoogLeNet.of().aux(true).build();
 * Net tiny = GoogLeNet.of().small().aux(true).classes(10).build();   // 1x28x28, both heads</pre>
 */
public final class GoogLeNet {
    private GoogLeNet() {}

    /** Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj. */
    public static final Map<String, int[]> TABLE1 = Map.of(
            "3a", new int[] {64, 96, 128, 16, 32, 32},
            "3b", new int[] {128, 128, 192, 32, 96, 64},
            "4a", new int[] {192, 96, 208, 16, 48, 64},
            "4b", new int[] {160, 112, 224, 24, 64, 64},
            "4c", new int[] {128, 128, 256, 24, 64, 64},
            "4d", new int[] {112, 144, 288, 32, 64, 64},
            "4e", new int[] {256, 160, 320, 32, 128, 128},
            "5a", new int[] {256, 160, 320, 32, 128, 128},
            "5b", new int[] {384, 192, 384, 48, 128, 128});

    /**
     * @param input image shape, (3, 224, 224) for ImageNet
     * @param classes output classes
     * @param aux the two auxiliary classifiers (training only)
     * @param paper5x5 the paper's 5x5 third branch instead of torchvision's 3x3
     * @param widthDivisor every width divided by this (1 in the paper)
     * @param compactStem 3x3 stride-1 first convolution instead of 7x7 stride 2, for 28x28 images
     */
    public record Config(long[] input, int classes, boolean aux, boolean paper5x5, int widthDivisor, boolean compactStem) {
        /** torchvision's ImageNet model: 3x224x224, 1000 classes, no aux heads, 3x3 third branch. */
        public static final Config DEFAULT = new Config(new long[] {3, 224, 224}, 1000, false, false, 1, false);

        public Config input(long... dims) { return new Config(dims, classes, aux, paper5x5, widthDivisor, compactStem); }
        public Config classes(int n) { return new Config(input, n, aux, paper5x5, widthDivisor, compactStem); }
        public Config aux(boolean on) { return new Config(input, classes, on, paper5x5, widthDivisor, compactStem); }
        public Config paper5x5(boolean on) { return new Config(input, classes, aux, on, widthDivisor, compactStem); }
        public Config widthDivisor(int d) { return new Config(input, classes, aux, paper5x5, d, compactStem); }
        public Config compactStem(boolean on) { return new Config(input, classes, aux, paper5x5, widthDivisor, on); }

        /**
         * Preset for 1x28x28 images: a quarter of every width, a 3x3 stride-1 first convolution:
         * the modules run at 7x7 (3a, 3b), 4x4 (4a-4e) and 2x2 (5a, 5b).
         */
        public Config small() { return input(1, 28, 28).widthDivisor(4).compactStem(true); }

        public Net build() { return GoogLeNet.build(this); }

        @Override
        public String toString() {
            return "GoogLeNet.Config[input=" + java.util.Arrays.toString(input) + ", classes=" + classes + ", aux=" + aux
                    + ", paper5x5=" + paper5x5 + ", widthDivisor=" + widthDivisor + ", compactStem=" + compactStem + "]";
        }
    }

    /** {@link Config#DEFAULT}, to change with its withers. */
    public static Config of() {
        return Config.DEFAULT;
    }

    static Net build(Config c) {
        int d = c.widthDivisor();
        String name = "googlenet" + (c.paper5x5() ? "-5x5" : "") + (c.aux() ? "-aux" : "") + (d > 1 ? "-small" : "");
        return Net.input(c.input()).named(name).add(                                // shapes at 3x224x224
                c.compactStem()
                        ? basic(conv(64 / d, 3).padding(1)).named("conv1")
                        : basic(conv(64, 7).stride(2).padding(3)).named("conv1"),     // (N, 64, 112, 112)
                maxPool(3).stride(2).ceil().named("maxpool1"),                        // (N, 64, 56, 56)
                basic(conv(64 / d, 1)).named("conv2"),
                basic(conv(192 / d, 3).padding(1)).named("conv3"),                    // (N, 192, 56, 56)
                maxPool(3).stride(2).ceil().named("maxpool2"),                        // (N, 192, 28, 28)
                inception(c, "3a"),
                inception(c, "3b"),                                                   // (N, 480, 28, 28)
                maxPool(3).stride(2).ceil().named("maxpool3"),                        // (N, 480, 14, 14)
                inception(c, "4a")
        ).add(auxClassifier(c, "aux1")).add(
                inception(c, "4b"),
                inception(c, "4c"),
                inception(c, "4d")
        ).add(auxClassifier(c, "aux2")).add(
                inception(c, "4e"),                                                   // (N, 832, 14, 14)
                maxPool(2).stride(2).ceil().named("maxpool4"),                        // (N, 832, 7, 7)
                inception(c, "5a"),
                inception(c, "5b"),                                                   // (N, 1024, 7, 7)
                globalAvgPool().named("avgpool"),                                     // (N, 1024)
                dropout(0.2).named("dropout"),
                linear(c.classes()).named("fc"));
    }

    /** One module of Table 1: [1x1 || 1x1 -> 3x3 || 1x1 -> 5x5 (tv: 3x3) || 3x3 max-pool -> 1x1]. */
    static Layer inception(Config c, String module) {
        int[] w = TABLE1.get(module).clone();
        for (int i = 0; i < w.length; i++) {
            w[i] /= c.widthDivisor();
        }
        var fifth = c.paper5x5() ? conv(w[4], 5).padding(2) : conv(w[4], 3).padding(1);
        return branches(
                chain(conv(w[0], 1)),
                chain(conv(w[1], 1), conv(w[2], 3).padding(1)),
                chain(conv(w[3], 1), fifth),
                chain(maxPool(3).stride(1).padding(1).ceil(), conv(w[5], 1))
        ).named("inception" + module);
    }

    /**
     * torchvision's InceptionAux, when the config has aux heads (else nothing): 4x4 adaptive
     * average pool, 1x1 conv 128, FC 1024, ReLU, dropout 0.7, FC; loss weight 0.3.
     */
    static Layer[] auxClassifier(Config c, String name) {
        if (!c.aux()) {
            return new Layer[0];
        }
        int d = c.widthDivisor();
        return new Layer[] {aux(0.3,
                adaptiveAvgPool(4, 4),                                                // (N, C, 4, 4)
                basic(conv(128 / d, 1)).named("conv"), flatten(),                    // (N, 2048)
                linear(1024 / d).named("fc1"), relu(), dropout(0.7),
                linear(c.classes()).named("fc2")).named(name)};
    }
}
