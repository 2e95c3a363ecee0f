package netbook.zoo;

import static netbook.dsl.Layers.*;

import netbook.dsl.Net;

/**
 * ZFNet (Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", arXiv
 * 1311.2901), the single network of Fig. 3: AlexNet with a 7x7 stride-2 first layer, a stride-2
 * second layer, and each pool followed by contrast normalisation.
 * <p>Widths: 96-256-384-384-256, ungrouped, as the figure's image shows. The 384/384 of layers 3
 * and 4 are UNCONFIRMED in the paper's text, and so is the parameter count computed from them,
 * 62,357,608. Also UNCONFIRMED: the paddings (1 on layers 1, 3, 4, 5) and the ceil-mode pools,
 * chosen to give the figure's map sizes 110, 55, 26, 13, 13, 13, 6, and the normalisation, which is
 * AlexNet's LRN here ({@link AlexNet#paperLrn()}).
 */
public final class ZFNet {
    private ZFNet() {}

    /** The paper's size, or the same blocks for 1x28x28 images. */
    public enum Layout { FULL, SMALL }

    /**
     * @param layout  the full-size model or the small one for 1x28x28 images
     * @param classes output classes
     */
    public record Config(Layout layout, int classes) {
        /** The network of Fig. 3 at 3x224x224 for 1000 classes. */
        public static final Config DEFAULT = new Config(Layout.FULL, 1000);

        public Config {
            if (classes < 1) throw new netbook.dsl.NetbookException("ZFNet: classes must be positive, received " + classes);
        }

        public Config classes(int n) { return new Config(layout, n); }
        /** The same layers for 1x28x28 images (about 13 M multiply-accumulates per image). */
        public Config small() { return new Config(Layout.SMALL, classes); }

        public Net build() { return layout == Layout.FULL ? ZFNet.full(classes) : ZFNet.small(classes); }

        @Override
        public String toString() { return "ZFNet.Config[layout=" + layout + ", classes=" + classes + "]"; }
    }

    /** {@link Config#DEFAULT}, to change with its withers: <pre>ZFNet.of().small().classes(10).build()</pre> */
    public static Config of() {
        return Config.DEFAULT;
    }

    /** The network of Fig. 3 at 3x224x224. */
    private static Net full(int classes) {
        return Net.input(3, 224, 224).named("zfnet").add(
                conv(96, 7).stride(2).padding(1), relu(),                            // (N, 96, 110, 110)
                maxPool(3).stride(2).ceil(), AlexNet.paperLrn(),                     // (N, 96, 55, 55)
                conv(256, 5).stride(2), relu(),                                      // (N, 256, 26, 26)
                maxPool(3).stride(2).ceil(), AlexNet.paperLrn(),                     // (N, 256, 13, 13)
                conv(384, 3).padding(1), relu(),
                conv(384, 3).padding(1), relu(),
                conv(256, 3).padding(1), relu(), maxPool(3).stride(2),               // (N, 256, 6, 6)
                flatten(),                                                           // (N, 9216)
                linear(4096).named("fc6"), relu(), dropout(0.5),
                linear(4096).named("fc7"), relu(), dropout(0.5),
                linear(classes).named("fc8"));
    }

    /**
     * The same layers for 1x28x28 images: 3x3 stride-1 first layer, stride-1 second layer,
     * 16-48-96-96-64 filters, 512-unit classifier; about 13 M multiply-accumulates per image.
     */
    private static Net small(int classes) {
        return Net.input(1, 28, 28).named("zfnet-small").add(
                conv(16, 3).padding(1), relu(),                                      // (N, 16, 28, 28)
                maxPool(3).stride(2).ceil(), AlexNet.paperLrn(),                     // (N, 16, 14, 14)
                conv(48, 5).padding(2), relu(),                                      // (N, 48, 14, 14)
                maxPool(3).stride(2).ceil(), AlexNet.paperLrn(),                     // (N, 48, 7, 7)
                conv(96, 3).padding(1), relu(),
                conv(96, 3).padding(1), relu(),
                conv(64, 3).padding(1), relu(), maxPool(3).stride(2),                // (N, 64, 3, 3)
                flatten(),                                                           // (N, 576)
                linear(512).named("fc6"), relu(), dropout(0.5),
                linear(512).named("fc7"), relu(), dropout(0.5),
                linear(classes).named("fc8"));
    }
}
