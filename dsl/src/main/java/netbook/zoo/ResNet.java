package netbook.zoo;

import static netbook.dsl.Layers.*;

import java.util.Map;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;

/**
 * ResNet (He et al., 2015) as torchvision builds it: 7x7/2 stem, max-pool, four stages of widths
 * 64/128/256/512, global average pool, one linear layer. Depth picks the block and the blocks per
 * stage from {@link #DEPTHS}. By default the stride of a downsampling bottleneck sits on its 3x3
 * conv (v1.5, torchvision); {@link Config#strideIn1x1(boolean)} moves it to the first 1x1 (v1, the
 * paper and Keras); parameter counts are the same.
 * <pre>Net r50 = ResNet.of(50).build();          // 25,557,032 parameters</pre>
 */
public final class ResNet {
    private ResNet() {}

    /** Basic block (3x3, 3x3) or bottleneck (1x1, 3x3, 1x1 with 4x expansion). */
    public enum Block { BASIC, BOTTLENECK }

    /** depth: block kind and blocks per stage, as in the paper's Table 1. */
    public record Depth(Block block, int[] blocks) {}

    public static final Map<Integer, Depth> DEPTHS = Map.of(
            18, new Depth(Block.BASIC, new int[] {2, 2, 2, 2}),
            34, new Depth(Block.BASIC, new int[] {3, 4, 6, 3}),
            50, new Depth(Block.BOTTLENECK, new int[] {3, 4, 6, 3}),
            101, new Depth(Block.BOTTLENECK, new int[] {3, 4, 23, 3}),
            152, new Depth(Block.BOTTLENECK, new int[] {3, 8, 36, 3}));

    /**
     * @param depth 18, 34, 50, 101 or 152
     * @param input image shape, (3, 224, 224) for ImageNet
     * @param classes output classes
     * @param widths stage widths (64, 128, 256, 512 in the paper)
     * @param compactStem 3x3 stride-1 stem and no max-pool, for 28x28 or 32x32 images
     * @param strideIn1x1 ResNet v1 (paper, Keras) instead of v1.5 (torchvision)
     */
    public record Config(int depth, long[] input, int classes, int[] widths, boolean compactStem, boolean strideIn1x1) {
        /** torchvision's ResNet-50 (v1.5): 3x224x224, 1000 classes, widths 64-128-256-512. */
        public static final Config DEFAULT = new Config(50, new long[] {3, 224, 224}, 1000, new int[] {64, 128, 256, 512}, false, false);

        public Config depth(int d) { return new Config(d, input, classes, widths, compactStem, strideIn1x1); }
        public Config input(long... dims) { return new Config(depth, dims, classes, widths, compactStem, strideIn1x1); }
        public Config classes(int n) { return new Config(depth, input, n, widths, compactStem, strideIn1x1); }
        public Config widths(int... w) { return new Config(depth, input, classes, w, compactStem, strideIn1x1); }
        /** 3x3 stride-1 stem, no max-pool: the usual CIFAR / Fashion-MNIST adaptation. */
        public Config compactStem(boolean on) { return new Config(depth, input, classes, widths, on, strideIn1x1); }
        /** ResNet v1 (the paper, Keras): a downsampling bottleneck's stride on its first 1x1. */
        public Config strideIn1x1(boolean on) { return new Config(depth, input, classes, widths, compactStem, on); }

        public Net build() { return ResNet.build(this); }

        @Override
        public String toString() {
            return "ResNet.Config[depth=" + depth + ", input=" + java.util.Arrays.toString(input) + ", classes=" + classes + ", widths="
                    + java.util.Arrays.toString(widths) + ", compactStem=" + compactStem + ", strideIn1x1=" + strideIn1x1 + "]";
        }
    }

    /** {@link Config#DEFAULT} at this depth. */
    public static Config of(int depth) {
        return Config.DEFAULT.depth(depth);
    }

    static Net build(Config c) {
        Depth d = DEPTHS.get(c.depth());
        if (d == null) {
            throw new NetbookException("ResNet depth " + c.depth() + " is not one of " + new java.util.TreeSet<>(DEPTHS.keySet()));
        }
        Net net = Net.input(c.input()).named("resnet" + c.depth());
        net = c.compactStem()
                ? net.add(conv(c.widths()[0], 3).padding(1).noBias(), batchNorm(), relu())
                : net.add(conv(c.widths()[0], 7).stride(2).padding(3).noBias(), batchNorm(), relu(),
                          maxPool(3).stride(2).padding(1));
        for (int s = 0; s < 4; s++) {
            int stage = s;
            int width = c.widths()[s];
            net = net.add(repeat(d.blocks()[s], "unit", i -> {
                int stride = (stage > 0 && i == 0) ? 2 : 1;
                boolean project = i == 0 && (stride != 1 || d.block() == Block.BOTTLENECK || stage > 0 && width != c.widths()[stage - 1]);
                return unit(d.block(), width, stride, project, c.strideIn1x1());
            }).named("stage" + (s + 1)));
        }
        return net.add(globalAvgPool(), linear(c.classes()));
    }

    /** One residual unit followed by its ReLU. */
    public static Layer unit(Block block, int width, int stride, boolean project, boolean strideOnFirst1x1) {
        int out = block == Block.BASIC ? width : 4 * width;
        var body = block == Block.BASIC
                ? residual(
                        conv(width, 3).stride(stride).padding(1).noBias(), batchNorm(), relu(),
                        conv(width, 3).padding(1).noBias(), batchNorm())
                : residual(
                        conv(width, 1).stride(strideOnFirst1x1 ? stride : 1).noBias(), batchNorm(), relu(),
                        conv(width, 3).stride(strideOnFirst1x1 ? 1 : stride).padding(1).noBias(), batchNorm(), relu(),
                        conv(out, 1).noBias(), batchNorm());
        if (project) {
            body = body.shortcut(conv(out, 1).stride(stride).noBias(), batchNorm());
        }
        return seq(body.named("residual"), relu());
    }
}
