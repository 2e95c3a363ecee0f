package netbook.zoo;

import static netbook.dsl.Layers.*;

import netbook.dsl.Net;
import netbook.dsl.spec.LocalResponseNorm;

/**
 * AlexNet (Krizhevsky, Sutskever and Hinton, NIPS 2012): five convolutions, three max-pools, three
 * fully connected layers.
 * <ul>
 * <li>{@link #torchvision} follows torchvision's {@code alexnet} (the "one weird trick" variant):
 *     64-192-384-256-256 filters, no LRN, no groups; 61,100,840 parameters [src], 0.714 GMACs.
 * <li>{@link #original} follows the paper's section 3.5: 96-256-384-384-256 filters, conv2, conv4
 *     and conv5 split in two groups as on the two GPUs, LRN after conv1 and conv2; 60,965,224
 *     parameters [computed], or 62,378,344 [computed] ungrouped.
 * <li>{@link #small} is torchvision's layout for 1x28x28 Fashion-MNIST: a quarter of the filters,
 *     5x5 stride-1 first layer, 512-unit classifier.
 * </ul>
 * UNCONFIRMED in the paper text, chosen here so the maps have the paper's sizes (55, 27, 13, 6):
 * the 227x227 input (the paper says 224), the paddings (0, 2, 1, 1, 1) and the LRN constants
 * (size 5, alpha 1e-4, beta 0.75, k 2, with PyTorch's alpha / size convention). None of them
 * changes the parameter count.
 */
public final class AlexNet {
    private AlexNet() {}

    /** torchvision's AlexNet at 3x224x224. */
    public static Net torchvision(int classes) {
        return Net.input(3, 224, 224).named("alexnet").add(
                conv(64, 11).stride(4).padding(2), relu(), maxPool(3).stride(2),    // (N, 64, 27, 27)
                conv(192, 5).padding(2), relu(), maxPool(3).stride(2),              // (N, 192, 13, 13)
                conv(384, 3).padding(1), relu(),
                conv(256, 3).padding(1), relu(),
                conv(256, 3).padding(1), relu(), maxPool(3).stride(2),              // (N, 256, 6, 6)
                adaptiveAvgPool(6, 6), flatten(),                                   // (N, 9216)
                dropout(0.5), linear(4096).named("fc6"), relu(),
                dropout(0.5), linear(4096).named("fc7"), relu(),
                linear(classes).named("fc8"));
    }

    /** The paper's two-GPU network (groups 2 on conv2, conv4, conv5) at 3x227x227. */
    public static Net original(int classes) {
        return original(classes, true);
    }

    /** The paper's network, with {@code grouped} false as if on one GPU (conv2/4/5 see every map). */
    public static Net original(int classes, boolean grouped) {
        int g = grouped ? 2 : 1;
        return Net.input(3, 227, 227).named(grouped ? "alexnet-original" : "alexnet-original-ungrouped").add(
                conv(96, 11).stride(4), relu(), paperLrn(), maxPool(3).stride(2),           // (N, 96, 27, 27)
                conv(256, 5).padding(2).groups(g), relu(), paperLrn(), maxPool(3).stride(2), // (N, 256, 13, 13)
                conv(384, 3).padding(1), relu(),                                       // across both GPUs
                conv(384, 3).padding(1).groups(g), relu(),
                conv(256, 3).padding(1).groups(g), relu(), maxPool(3).stride(2),       // (N, 256, 6, 6)
                flatten(),                                                             // (N, 9216)
                linear(4096).named("fc6"), relu(), dropout(0.5),
                linear(4096).named("fc7"), relu(), dropout(0.5),
                linear(classes).named("fc8"));
    }

    /** torchvision's layout for 1x28x28 images: about 8.8 M multiply-accumulates per image. */
    public static Net small(int classes) {
        return Net.input(1, 28, 28).named("alexnet-small").add(
                conv(16, 5).padding(2), relu(), maxPool(3).stride(2),               // (N, 16, 13, 13)
                conv(48, 5).padding(2), relu(), maxPool(3).stride(2),               // (N, 48, 6, 6)
                conv(96, 3).padding(1), relu(),
                conv(64, 3).padding(1), relu(),
                conv(64, 3).padding(1), relu(), maxPool(3).stride(2),               // (N, 64, 2, 2)
                flatten(),                                                          // (N, 256)
                dropout(0.5), linear(512).named("fc6"), relu(),
                dropout(0.5), linear(512).named("fc7"), relu(),
                linear(classes).named("fc8"));
    }

    /** The paper's LRN: k 2, n 5, alpha 1e-4, beta 0.75 (UNCONFIRMED here). */
    static LocalResponseNorm paperLrn() {
        return lrn(5).alpha(1e-4).beta(0.75).k(2);
    }
}
