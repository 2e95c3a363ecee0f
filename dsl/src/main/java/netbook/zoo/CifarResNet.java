package netbook.zoo;

import static netbook.dsl.Layers.*;

import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;

/**
 * The small-image networks of ResNet's CIFAR-10 experiment (He et al., 2015, section 4.2): a 3x3
 * conv, three stages of n basic units at widths w, 2w, 4w on 32x32, 16x16 and 8x8 maps (28, 14 and
 * 7 for Fashion-MNIST), global average pooling and one linear layer: 6n + 2 weighted layers.
 * {@link Config#plain()} is the same stack without shortcuts, the paper's "plain" baseline, so the
 * two differ only in the additions.
 * <pre>
 * Net res20   = CifarResNet.of(20).build();            // 16/32/64 wide, 272,474 parameters
 * Net plain56 = CifarResNet.of(56).residual(false).build();
 * </pre>
 * Where a stage halves the map and doubles the width, the shortcut is a strided 1x1 conv with batch
 * norm (the paper's option B); the paper's CIFAR runs used option A, identity with zero-padded
 * channels, which has no parameters.
 */
public final class CifarResNet {
    private CifarResNet() {}

    /**
     * @param depth 6n + 2 weighted layers: 20, 32, 44, 56, 110 in the paper
     * @param input image shape; (3, 32, 32) for CIFAR-10
     * @param classes output classes
     * @param width the first stage's width (16 in the paper); the others are 2x and 4x
     * @param residual false for the plain network
     */
    public record Config(int depth, long[] input, int classes, int width, boolean residual) {
        /** The paper's ResNet-20 for CIFAR-10: 3x32x32, 10 classes, widths 16/32/64, with shortcuts. */
        public static final Config DEFAULT = new Config(20, new long[] {3, 32, 32}, 10, 16, true);

        public Config depth(int d) { return new Config(d, input, classes, width, residual); }
        public Config input(long... dims) { return new Config(depth, dims, classes, width, residual); }
        public Config classes(int n) { return new Config(depth, input, n, width, residual); }
        public Config width(int w) { return new Config(depth, input, classes, w, residual); }
        /** With {@code false}, no shortcuts: the paper's plain network of the same depth. */
        public Config residual(boolean on) { return new Config(depth, input, classes, width, on); }

        public Net build() { return CifarResNet.build(this); }

        @Override public String toString() {
            return (residual ? "resnet" : "plain") + depth + "(input " + java.util.Arrays.toString(input) + ", classes " + classes
                    + ", widths " + width + "/" + 2 * width + "/" + 4 * width + ")";
        }
    }

    /** The paper's CIFAR-10 network of this depth (20, 32, 44, 56, 110, ...). */
    public static Config of(int depth) {
        return Config.DEFAULT.depth(depth);
    }

    static Net build(Config c) {
        if (c.depth() < 8 || (c.depth() - 2) % 6 != 0) {
            throw new NetbookException("CifarResNet depth " + c.depth() + " is not 6n + 2 with n >= 1 (20, 32, 44, 56, 110 in the paper)");
        }
        if (c.width() < 1) {
            throw new NetbookException("CifarResNet width must be positive, received " + c.width());
        }
        int n = (c.depth() - 2) / 6;
        Net net = Net.input(c.input()).named((c.residual() ? "resnet" : "plain") + c.depth())
                .add(conv(c.width(), 3).padding(1).noBias(), batchNorm(), relu());
        for (int s = 0; s < 3; s++) {
            int width = c.width() << s;
            boolean halve = s > 0;
            net = net.add(repeat(n, "unit", i -> unit(width, halve && i == 0 ? 2 : 1, c.residual())).named("stage" + (s + 1)));
        }
        return net.add(globalAvgPool(), linear(c.classes()));
    }

    /** Two 3x3 convs with batch norm; with a shortcut (projected where the shape changes) or without. */
    static Layer unit(int width, int stride, boolean withShortcut) {
        Layer[] body = {
            conv(width, 3).stride(stride).padding(1).noBias(), batchNorm(), relu(),
            conv(width, 3).padding(1).noBias(), batchNorm()};
        if (!withShortcut) {
            return seq(seq(body).named("plain"), relu());
        }
        var r = residual(body);
        if (stride != 1) {
            r = r.shortcut(conv(width, 1).stride(stride).noBias(), batchNorm());
        }
        return seq(r.named("residual"), relu());
    }
}
