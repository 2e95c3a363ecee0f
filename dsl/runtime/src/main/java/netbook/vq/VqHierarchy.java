package netbook.vq;

import java.util.ArrayList;
import java.util.List;
import netbook.engine.DjlLayer;
import netbook.dsl.Layer;
import netbook.dsl.NetbookException;
import netbook.dsl.Node;
import netbook.dsl.Placed;
import netbook.dsl.Shape;
import netbook.dsl.ShapeException;
import netbook.dsl.spec.Conv2d;
import netbook.dsl.spec.Sequential;

/**
 * A (hierarchical) VQ-VAE as levels, bottom first; one level is the plain VQ-VAE of 2017, two are
 * VQ-VAE-2, more work the same way. Data flow for levels 0 (bottom) .. L-1 (top):
 * <pre>
 * h0 = enc_0(x); h_i = enc_i(h_{i-1})                          encoders, bottom up
 * q_top = quantize(quantize_conv(h_top))                      top down:
 * q_i = quantize(quantize_conv(concat(h_i, dec_{i+1}(q_{i+1}))))   conditioned on the level above
 * x^ = dec(concat(q_0, upsample_1(q_1), ..., upsample_{L-1}(q_{L-1})))
 * </pre>
 * Block paths follow rosinality's names: {@code enc_bottom}, {@code quantize_conv_top},
 * {@code quantize_top}, {@code dec_top}, {@code upsample_top}, {@code dec}. Compiled, the block
 * returns the reconstruction, the summed latent loss, then per level (bottom first) the codes, then
 * the perplexities, then the fractions of codes used.
 */
public record VqHierarchy(List<Level> levels, Sequential decoder) implements DjlLayer, Layer.Container {
    /** In the order {@link #place} gives them: encoders bottom up, then quantisers and decoders top down, upsamples, the final decoder. */
    @Override
    public List<Node> children() {
        List<Node> out = new ArrayList<>();
        for (Level l : levels) out.add(new Node(enc(l), l.encoder()));
        for (int i = levels.size() - 1; i >= 0; i--) {
            Level l = levels.get(i);
            out.add(new Node(qconv(l), quantizeConv(l)));
            out.add(new Node(quant(l), l.quantize()));
            if (i > 0) out.add(new Node(dec(l), l.decoder()));
        }
        for (int i = 1; i < levels.size(); i++) out.add(new Node(up(levels.get(i)), levels.get(i).upsample()));
        out.add(new Node("dec", decoder));
        return out;
    }

    /** The hierarchy computes itself (a whole engine block); its children are listed for summaries and diagrams. */
    @Override
    public Layer.Flow flow() { return new Layer.Flow.Opaque(); }

    public VqHierarchy {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) throw new NetbookException("a VQ-VAE needs at least one level");
        for (int i = 0; i < levels.size(); i++) {
            Level l = levels.get(i);
            String where = "level " + (i + 1) + " ('" + l.name() + "')";
            if (l.encoder() == null) throw new NetbookException(where + " has no encoder: add .encoder(...)");
            if (l.quantize() == null) throw new NetbookException(where + " has no quantiser: add .quantize(vectorQuantize(K, D))");
            if (i > 0 && (l.decoder() == null || l.upsample() == null)) {
                throw new NetbookException(where + " is above the bottom and needs .decoder(...) (to condition the level below) "
                        + "and .upsample(...) (to the bottom resolution for the final decoder)");
            }
            if (i == 0 && (l.decoder() != null || l.upsample() != null)) {
                throw new NetbookException(where + " is the bottom level: its map goes to the final decoder as is; remove .decoder/.upsample");
            }
            for (int j = 0; j < i; j++) {
                if (levels.get(j).name().equals(l.name())) throw new NetbookException("two levels are named '" + l.name() + "'");
            }
        }
        if (decoder == null) throw new NetbookException("a VQ-VAE needs a final decoder: add .decoder(...)");
    }

    /** A new hierarchy whose final decoder is these blocks. */
    public VqHierarchy decoder(Layer... layers) {
        return new VqHierarchy(levels, Sequential.of(List.of(layers)));
    }

    @Override public String type() { return levels.size() == 1 ? "VqVae" : "VqVae" + levels.size() + "Level"; }
    @Override public String defaultName() { return "vqvae"; }

    /** Every block with its input shape, in the order the forward pass runs them. */
    @Override
    public List<Placed> place(Shape in) {
        return flow(in).placed;
    }

    @Override
    public Shape outputShape(Shape in) {
        return flow(in).output;
    }

    /**
     * All trainable parameters inside (the compiler checks the block against this); summaries add
     * up the leaves instead, so nothing is counted twice.
     */
    @Override
    public long params(Shape in) {
        long[] total = {0};
        netbook.dsl.SpecTree.leaves(this, in, leaf -> total[0] += leaf.layer().params(leaf.input()));
        return total[0];
    }

    /** The code maps (H, W), bottom level first, for an input of {@code in}. */
    public List<Shape> codeShapes(Shape in) {
        List<Shape> out = new ArrayList<>();
        for (Shape s : flow(in).quantized) out.add(Shape.of(s.dim(1), s.dim(2)));
        return out;
    }

    /** The quantised maps (D, H, W), bottom level first. */
    public List<Shape> quantizedShapes(Shape in) {
        return flow(in).quantized;
    }

    @Override
    public ai.djl.nn.Block toBlock(Shape in) {
        return new HierarchyBlock(this, in);
    }

    static String enc(Level l) { return "enc_" + l.name(); }
    static String qconv(Level l) { return "quantize_conv_" + l.name(); }
    static String quant(Level l) { return "quantize_" + l.name(); }
    static String dec(Level l) { return "dec_" + l.name(); }
    static String up(Level l) { return "upsample_" + l.name(); }

    static Conv2d quantizeConv(Level l) { return Conv2d.of(l.quantize().dim(), 1, 1); }

    record Flow(List<Placed> placed, List<Shape> quantized, Shape output) {}

    Flow flow(Shape in) {
        List<Placed> placed = new ArrayList<>();
        int n = levels.size();
        Shape[] h = new Shape[n];
        Shape s = in;
        for (int i = 0; i < n; i++) {
            Level l = levels.get(i);
            placed.add(new Placed(new Node(enc(l), l.encoder()), s));
            s = out(enc(l), l.encoder(), s);
            h[i] = s;
        }
        Shape[] q = new Shape[n];
        Shape cond = null;
        for (int i = n - 1; i >= 0; i--) {
            Level l = levels.get(i);
            Shape qin = h[i];
            if (cond != null) {
                Level above = levels.get(i + 1);
                if (cond.rank() != 3 || cond.dim(1) != h[i].dim(1) || cond.dim(2) != h[i].dim(2)) {
                    throw ShapeException.of(type(), dec(above) + " gives " + cond + " but " + enc(l) + " gives " + h[i]
                                    + "; the decoder of a level must bring its codes to the resolution of the level below",
                            "Change the strides of " + dec(above));
                }
                qin = h[i].with(0, h[i].dim(0) + cond.dim(0));
            }
            Conv2d qc = quantizeConv(l);
            placed.add(new Placed(new Node(qconv(l), qc), qin));
            Shape z = out(qconv(l), qc, qin);
            placed.add(new Placed(new Node(quant(l), l.quantize()), z));
            q[i] = out(quant(l), l.quantize(), z);
            if (i > 0) {
                placed.add(new Placed(new Node(dec(l), l.decoder()), q[i]));
                cond = out(dec(l), l.decoder(), q[i]);
            }
        }
        long channels = q[0].dim(0);
        for (int i = 1; i < n; i++) {
            Level l = levels.get(i);
            placed.add(new Placed(new Node(up(l), l.upsample()), q[i]));
            Shape u = out(up(l), l.upsample(), q[i]);
            if (u.rank() != 3 || u.dim(1) != q[0].dim(1) || u.dim(2) != q[0].dim(2)) {
                throw ShapeException.of(type(), up(l) + " gives " + u + " but the bottom quantised map is " + q[0]
                        + "; every level is upsampled to the bottom resolution before the final decoder", "Change the strides of " + up(l));
            }
            channels += u.dim(0);
        }
        Shape decIn = q[0].with(0, channels);
        placed.add(new Placed(new Node("dec", decoder), decIn));
        Shape output = out("dec", decoder, decIn);
        return new Flow(placed, List.of(q), output);
    }

    private static Shape out(String name, Layer layer, Shape in) {
        try {
            return layer.outputShape(in);
        } catch (ShapeException e) {
            throw e.under(name);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("hierarchy(");
        for (int i = 0; i < levels.size(); i++) sb.append(i > 0 ? ", " : "").append(levels.get(i).name()).append(": ").append(levels.get(i).quantize());
        return sb.append(")").toString();
    }
}
