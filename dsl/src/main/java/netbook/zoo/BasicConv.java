package netbook.zoo;

import static netbook.dsl.Layers.*;

import java.util.ArrayList;
import java.util.List;
import netbook.dsl.Layer;
import netbook.dsl.spec.Conv2d;
import netbook.dsl.spec.Sequential;

/**
 * The Inception family's unit, torchvision's {@code BasicConv2d} and timm's {@code ConvNormAct}:
 * a convolution without bias, batch norm with eps 1e-3, ReLU. Its blocks are named {@code conv},
 * {@code bn} and {@code relu}, so paths read {@code inception4a.branch2.conv1.bn}.
 */
final class BasicConv {
    private BasicConv() {}

    /** conv (bias off) + BN(eps 1e-3) + ReLU. */
    static Sequential basic(Conv2d conv) {
        return seq(conv.noBias().named("conv"), batchNorm().eps(1e-3).named("bn"), relu().named("relu"));
    }

    /**
     * One Inception branch: every convolution becomes a {@link #basic} unit named {@code conv1,
     * conv2, ...}; pools and nested branches stay as given. A branch of one convolution is that
     * unit itself ({@code branch1.conv}).
     */
    static Layer chain(Layer... parts) {
        if (parts.length == 1 && parts[0] instanceof Conv2d c) {
            return basic(c);
        }
        List<Layer> items = new ArrayList<>();
        int k = 0;
        for (Layer p : parts) {
            items.add(p instanceof Conv2d c ? basic(c).named("conv" + (++k)) : p);
        }
        return Sequential.of(items);
    }

    /** Two parallel basic units concatenated: Inception-v3's [1x3 || 3x1] split. */
    static Layer split(Conv2d a, Conv2d b) {
        return branches(basic(a), basic(b)).named("split");
    }
}
