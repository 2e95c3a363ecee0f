package netbook.zoo;

import static netbook.dsl.Layers.*;

import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.spec.LocalResponseNorm;

/**
 * AlexNet (Krizhevsky, Sutskever and Hinton, NIPS 2012): five convolutions, three max-pools, three
 * fully connected layers. {@link #of()} starts from {@link Config#DEFAULT}; the layouts:
 * <ul>
 * <li>torchvision's {@code alexnet} (the default; the "one weird trick" variant):
 *     64-192-384-256-256 filters, no LRN, no groups; 61,100,840 parameters [src], 0.714 GMACs.
 * <li>{@link Config#paper()}: the paper's section 3.5, 96-256-384-384-256 filters, conv2, conv4
 *     and conv5 split in two groups as on the two GPUs, LRN after conv1 and conv2; 60,965,224
 *     parameters [computed], or 62,378,344 [computed] with {@link Config#grouped(boolean) grouped(false)}.
 * <li>{@link Config#small()}: torchvision's layout for 1x28x28 Fashion-MNIST, a quarter of the
 *     filters, 5x5 stride-1 first layer, 512-unit classifier.
 * </ul>
 * {@link Config#lrn(boolean)} puts the paper's local response normalisation after the first two
 * convolutions of any layout (or takes it out of the paper's), the comparison its section 3.3 makes.
 * UNCONFIRMED in the paper text, chosen here so the maps have the paper's sizes (55, 27, 13, 6):
 * the 227x227 input (the paper says 224), the paddings (0, 2, 1, 1, 1) and the LRN constants
 * (size 5, alpha 1e-4, beta 0.75, k 2, with PyTorch's alpha / size convention). None of them
 * changes the parameter count.
 * <pre>Net a = AlexNet.of().build();                               // torchvision's, 1000 classes
 * Net b = AlexNet.of().small().classes(10).lrn(true).build();   // Fashion-MNIST, with LRN</pre>
 */
public final class AlexNet {
    private AlexNet() {}

    /** Which AlexNet: torchvision's, the paper's, or the small one for 1x28x28 images. */
    public enum Layout { TORCHVISION, PAPER, SMALL }

    /**
     * @param layout  torchvision's (3x224x224), the paper's (3x227x227) or the small one (1x28x28)
     * @param classes output classes
     * @param grouped the paper's two-GPU groups on conv2, conv4 and conv5 (the paper's layout only)
     * @param lrn     local response normalisation after conv1 and conv2 (on in the paper's layout)
     */
    public record Config(Layout layout, int classes, boolean grouped, boolean lrn) {
        /** torchvision's AlexNet for 1000 classes. */
        public static final Config DEFAULT = new Config(Layout.TORCHVISION, 1000, false, false);

        public Config {
            if (classes < 1) throw new NetbookException("AlexNet: classes must be positive, received " + classes);
            if (grouped && layout != Layout.PAPER) throw new NetbookException("AlexNet: groups are the paper's layout only; use paper()");
        }

        public Config classes(int n) { return new Config(layout, n, grouped, lrn); }
        /** The paper's two-GPU network, grouped, with LRN, at 3x227x227. */
        public Config paper() { return new Config(Layout.PAPER, classes, true, true); }
        /** The small layout for 1x28x28 images (about 8.8 M multiply-accumulates per image). */
        public Config small() { return new Config(Layout.SMALL, classes, false, lrn); }
        public Config grouped(boolean on) { return new Config(layout, classes, on, lrn); }
        public Config lrn(boolean on) { return new Config(layout, classes, grouped, on); }

        public Net build() {
            return switch (layout) {
                case TORCHVISION -> AlexNet.torchvision(this);
                case PAPER -> AlexNet.paper(this);
                case SMALL -> AlexNet.small(this);
            };
        }

        @Override
        public String toString() { return "AlexNet.Config[layout=" + layout + ", classes=" + classes + ", grouped=" + grouped + ", lrn=" + lrn + "]"; }
    }

    /** {@link Config#DEFAULT}, to change with its withers. */
    public static Config of() {
        return Config.DEFAULT;
    }

    /** The zoo's name: the layout, then what differs from its default. */
    static String name(Config c) {
        return switch (c.layout()) {
            case TORCHVISION -> "alexnet" + (c.lrn() ? "-lrn" : "");
            case PAPER -> "alexnet-original" + (c.grouped() ? "" : "-ungrouped") + (c.lrn() ? "" : "-no-lrn");
            case SMALL -> "alexnet-small" + (c.lrn() ? "-lrn" : "");
        };
    }

    /** torchvision's AlexNet at 3x224x224. */
    private static Net torchvision(Config c) {
        return Net.input(3, 224, 224).named(name(c)).add(present(
                conv(64, 11).stride(4).padding(2), relu(), normalise(c), maxPool(3).stride(2),    // (N, 64, 27, 27)
                conv(192, 5).padding(2), relu(), normalise(c), maxPool(3).stride(2),              // (N, 192, 13, 13)
                conv(384, 3).padding(1), relu(),
                conv(256, 3).padding(1), relu(),
                conv(256, 3).padding(1), relu(), maxPool(3).stride(2),                      // (N, 256, 6, 6)
                adaptiveAvgPool(6, 6), flatten(),                                           // (N, 9216)
                dropout(0.5), linear(4096).named("fc6"), relu(),
                dropout(0.5), linear(4096).named("fc7"), relu(),
                linear(c.classes()).named("fc8")));
    }

    /** The paper's network at 3x227x227; ungrouped, as if on one GPU (conv2/4/5 see every map). */
    private static Net paper(Config c) {
        int g = c.grouped() ? 2 : 1;
        return Net.input(3, 227, 227).named(name(c)).add(present(
                conv(96, 11).stride(4), relu(), normalise(c), maxPool(3).stride(2),                // (N, 96, 27, 27)
                conv(256, 5).padding(2).groups(g), relu(), normalise(c), maxPool(3).stride(2),    // (N, 256, 13, 13)
                conv(384, 3).padding(1), relu(),                                            // across both GPUs
                conv(384, 3).padding(1).groups(g), relu(),
                conv(256, 3).padding(1).groups(g), relu(), maxPool(3).stride(2),            // (N, 256, 6, 6)
                flatten(),                                                                  // (N, 9216)
                linear(4096).named("fc6"), relu(), dropout(0.5),
                linear(4096).named("fc7"), relu(), dropout(0.5),
                linear(c.classes()).named("fc8")));
    }

    /** torchvision's layout for 1x28x28 images: about 8.8 M multiply-accumulates per image. */
    private static Net small(Config c) {
        return Net.input(1, 28, 28).named(name(c)).add(present(
                conv(16, 5).padding(2), relu(), normalise(c), maxPool(3).stride(2),               // (N, 16, 13, 13)
                conv(48, 5).padding(2), relu(), normalise(c), maxPool(3).stride(2),               // (N, 48, 6, 6)
                conv(96, 3).padding(1), relu(),
                conv(64, 3).padding(1), relu(),
                conv(64, 3).padding(1), relu(), maxPool(3).stride(2),                       // (N, 64, 2, 2)
                flatten(),                                                                  // (N, 256)
                dropout(0.5), linear(512).named("fc6"), relu(),
                dropout(0.5), linear(512).named("fc7"), relu(),
                linear(c.classes()).named("fc8")));
    }

    /** The paper's normalisation where the config asks for it, else nothing (dropped by {@link #present}). */
    private static Layer normalise(Config c) {
        return c.lrn() ? paperLrn() : null;
    }

    /** The layers that are there: a normalisation a config leaves out is null in the listing above. */
    private static Layer[] present(Layer... layers) {
        return java.util.Arrays.stream(layers).filter(java.util.Objects::nonNull).toArray(Layer[]::new);
    }

    /** The paper's LRN: k 2, n 5, alpha 1e-4, beta 0.75 (UNCONFIRMED here). */
    static LocalResponseNorm paperLrn() {
        return lrn(5).alpha(1e-4).beta(0.75).k(2);
    }
}
