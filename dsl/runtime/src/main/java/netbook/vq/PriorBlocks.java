package netbook.vq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import netbook.internal.djl.ConvGuard;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import netbook.dsl.Layer;
import netbook.internal.djl.Scalar;

/** The compiled prior layers. Arrays derived from parameters are attached to the step's manager. */
final class PriorBlocks {
    private PriorBlocks() {}

    /** Common parts: parameters by name, the spec's shapes, convolutions with optional masks. */
    abstract static class Base extends AbstractBlock {
        final Layer spec;
        final netbook.dsl.Shape specIn;

        Base(Layer spec, netbook.dsl.Shape specIn) {
            this.spec = spec;
            this.specIn = specIn;
        }

        Parameter weight(String name, long... shape) {
            return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(new Shape(shape)).build());
        }

        Parameter bias(String name, long size) {
            return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.BIAS).optShape(new Shape(size)).build());
        }

        static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
            return p == null ? null : ps.getValue(p, like.getDevice(), training);
        }

        /** conv2d(x, w [* mask], b) with padding (ph, pw), stride 1. */
        static NDArray conv(NDArray x, NDArray w, NDArray mask, NDArray b, long ph, long pw) {
            NDArray k = mask == null ? w : mask.mul(w);
            return ConvGuard.conv2d(x, k, b, new Shape(1, 1), new Shape(ph, pw), new Shape(1, 1), 1);
        }

        /** A 0/1 mask like {@code w} (out, in, kh, kw) keeping the kernel cells where {@code keep[i*kw+j]}. */
        static NDArray mask(NDArray like, Shape wShape, float[] keep) {
            long out = wShape.get(0);
            long in = wShape.get(1);
            NDArray m = like.getManager().create(keep, new Shape(1, 1, wShape.get(2), wShape.get(3)));
            return m.repeat(0, out).repeat(1, in).toDevice(like.getDevice(), false);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(spec.outputShape(specIn).withBatch(inputShapes[0].get(0)))};
        }

        @Override
        public String toString() {
            return spec.toString();
        }
    }

    /** PixelCNN masked convolution. */
    static final class Masked extends Base {
        private final MaskedConv2d m;
        private final Parameter w;
        private final Parameter b;

        Masked(MaskedConv2d m, netbook.dsl.Shape in) {
            super(m, in);
            this.m = m;
            w = weight("weight", m.filters(), in.dim(0), m.kernel(), m.kernel());
            b = m.bias() ? bias("bias", m.filters()) : null;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();
            NDArray wv = value(ps, w, x, training);
            int p = m.kernel() / 2;
            return new NDList(conv(x, wv, mask(x, wv.getShape(), m.mask()), value(ps, b, x, training), p, p));
        }
    }

    /** Code (and condition) embeddings into the gated stream. */
    static final class Input extends Base {
        private final PixelCnnInput s;
        private final Parameter codeEmbed;
        private final Parameter condEmbed;
        private final Parameter[] condW;
        private final Parameter[] condB;

        Input(PixelCnnInput s, netbook.dsl.Shape in) {
            super(s, in);
            this.s = s;
            int c = s.channels();
            codeEmbed = weight("code_embed", s.codes(), c);
            condEmbed = s.conditional() ? weight("condition_embed", s.conditions(), c) : null;
            condW = new Parameter[2 * s.conditionBlocks()];
            condB = new Parameter[2 * s.conditionBlocks()];
            for (int i = 0; i < s.conditionBlocks(); i++) {
                condW[2 * i] = weight("condition_res" + (i + 1) + "_conv1_weight", c, c, 3, 3);
                condB[2 * i] = bias("condition_res" + (i + 1) + "_conv1_bias", c);
                condW[2 * i + 1] = weight("condition_res" + (i + 1) + "_conv2_weight", c, c, 1, 1);
                condB[2 * i + 1] = bias("condition_res" + (i + 1) + "_conv2_bias", c);
            }
        }

        private static NDArray embed(NDArray plane, NDArray table) {
            NDArray idx = plane.toType(DataType.INT64, false);                       // (N, H, W)
            NDArray e = ai.djl.nn.core.Embedding.embedding(idx, table, SparseFormat.DENSE).head(); // (N, H, W, C)
            return e.transpose(0, 3, 1, 2);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();                                                // (N, P, H, W)
            NDArray codes = embed(x.get(new NDIndex(":, 0")), value(ps, codeEmbed, x, training));
            NDList planes = new NDList(codes, codes);
            if (s.conditional()) {
                NDArray c = embed(x.get(new NDIndex(":, 1")), value(ps, condEmbed, x, training));
                for (int i = 0; i < s.conditionBlocks(); i++) {
                    NDArray r = conv(Activation.relu(c), value(ps, condW[2 * i], x, training), null, value(ps, condB[2 * i], x, training), 1, 1);
                    r = conv(Activation.relu(r), value(ps, condW[2 * i + 1], x, training), null, value(ps, condB[2 * i + 1], x, training), 0, 0);
                    c = c.add(r);
                }
                planes.add(c);
            }
            return new NDList(NDArrays.stack(planes, 1));                           // (N, S, C, H, W)
        }
    }

    /** Gated layer with vertical and horizontal stacks. */
    static final class Gated extends Base {
        private final GatedLayer g;
        private final Parameter vw;
        private final Parameter vb;
        private final Parameter hw;
        private final Parameter hb;
        private final Parameter linkW;
        private final Parameter linkB;
        private final Parameter outW;
        private final Parameter outB;
        private final Parameter condV;
        private final Parameter condH;

        Gated(GatedLayer g, netbook.dsl.Shape in) {
            super(g, in);
            this.g = g;
            long c = in.dim(1);
            int k = g.kernel();
            int p = k / 2;
            vw = weight("vertical_weight", 2 * c, c, p + 1, k);
            vb = bias("vertical_bias", 2 * c);
            hw = weight("horizontal_weight", 2 * c, c, 1, p + 1);
            hb = bias("horizontal_bias", 2 * c);
            linkW = weight("vertical_to_horizontal_weight", 2 * c, 2 * c, 1, 1);
            linkB = bias("vertical_to_horizontal_bias", 2 * c);
            outW = weight("horizontal_out_weight", c, c, 1, 1);
            outB = bias("horizontal_out_bias", c);
            boolean cond = in.dim(0) == 3;
            condV = cond ? weight("condition_vertical_weight", 2 * c, c, 1, 1) : null;
            condH = cond ? weight("condition_horizontal_weight", 2 * c, c, 1, 1) : null;
        }

        private static NDArray gate(NDArray a) {
            NDList halves = a.split(2, 1);
            return halves.get(0).tanh().mul(Activation.sigmoid(halves.get(1)));
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();                                                // (N, S, C, H, W)
            long hgt = x.getShape().get(3);
            long wid = x.getShape().get(4);
            int k = g.kernel();
            int p = k / 2;
            NDArray v = x.get(new NDIndex(":, 0"));
            NDArray h = x.get(new NDIndex(":, 1"));
            NDArray vwv = value(ps, vw, x, training);
            NDArray hwv = value(ps, hw, x, training);
            NDArray vMask = null;
            NDArray hMask = null;
            if (g.typeA()) {
                float[] keepV = new float[(p + 1) * k];
                java.util.Arrays.fill(keepV, 0, p * k, 1f);                          // no current row
                float[] keepH = new float[p + 1];
                java.util.Arrays.fill(keepH, 0, p, 1f);                              // no current column
                vMask = mask(x, vwv.getShape(), keepV);
                hMask = mask(x, hwv.getShape(), keepH);
            }
            // vertical: pad p on all sides, keep the first H rows -> row i sees rows i-p .. i (i-1 with mask A)
            NDArray hv = conv(v, vwv, vMask, value(ps, vb, x, training), p, p).get(new NDIndex(":, :, 0:" + hgt));
            // horizontal: pad p left and right, keep the first W columns -> column j sees j-p .. j (j-1 with mask A)
            NDArray hh = conv(h, hwv, hMask, value(ps, hb, x, training), 0, p).get(new NDIndex(":, :, :, 0:" + wid));
            NDArray cv = null;
            NDArray ch = null;
            if (condV != null) {
                NDArray c = x.get(new NDIndex(":, 2"));
                cv = conv(c, value(ps, condV, x, training), null, null, 0, 0);
                ch = conv(c, value(ps, condH, x, training), null, null, 0, 0);
            }
            NDArray outV = gate(cv == null ? hv : hv.add(cv));
            NDArray link = conv(hv, value(ps, linkW, x, training), null, value(ps, linkB, x, training), 0, 0);
            NDArray pre = link.add(hh);
            NDArray gated = gate(ch == null ? pre : pre.add(ch));
            NDArray outH = conv(gated, value(ps, outW, x, training), null, value(ps, outB, x, training), 0, 0);
            if (!g.typeA()) outH = outH.add(h);
            NDList planes = new NDList(outV, outH);
            if (condV != null) planes.add(x.get(new NDIndex(":, 2")));
            return new NDList(NDArrays.stack(planes, 1));
        }
    }

    /** Causal multi-head self-attention on the horizontal stack. */
    static final class Attention extends Base {
        private final CausalAttention a;
        private final Parameter qW;
        private final Parameter qB;
        private final Parameter kW;
        private final Parameter kB;
        private final Parameter vW;
        private final Parameter vB;
        private final Parameter oW;
        private final Parameter oB;

        Attention(CausalAttention a, netbook.dsl.Shape in) {
            super(a, in);
            this.a = a;
            long c = in.dim(1);
            qW = weight("query_weight", c, c + 2, 1, 1);
            qB = bias("query_bias", c);
            kW = weight("key_weight", c, c + 2, 1, 1);
            kB = bias("key_bias", c);
            vW = weight("value_weight", c, c, 1, 1);
            vB = bias("value_bias", c);
            oW = weight("out_weight", c, c, 1, 1);
            oB = bias("out_bias", c);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.head();                                                // (N, S, C, H, W)
            Shape s = x.getShape();
            long n = s.get(0);
            long c = s.get(2);
            long hgt = s.get(3);
            long wid = s.get(4);
            long len = hgt * wid;
            int heads = a.heads();
            long dh = c / heads;
            NDArray h = x.get(new NDIndex(":, 1"));                                   // (N, C, H, W)
            float[] coords = new float[(int) (2 * len)];
            for (int i = 0; i < hgt; i++) {
                for (int j = 0; j < wid; j++) {
                    coords[(int) (i * wid + j)] = (float) i / hgt;
                    coords[(int) (len + i * wid + j)] = (float) j / wid;
                }
            }
            NDArray pos = x.getManager().create(coords, new Shape(1, 2, hgt, wid)).toDevice(x.getDevice(), false)
                    .repeat(0, n);
            NDArray qk = NDArrays.concat(new NDList(h, pos), 1);                      // (N, C+2, H, W)
            NDArray q = conv(qk, value(ps, qW, x, training), null, value(ps, qB, x, training), 0, 0);
            NDArray k = conv(qk, value(ps, kW, x, training), null, value(ps, kB, x, training), 0, 0);
            NDArray v = conv(h, value(ps, vW, x, training), null, value(ps, vB, x, training), 0, 0);
            q = q.reshape(n, heads, dh, len).transpose(0, 1, 3, 2);                   // (N, heads, L, dh)
            k = k.reshape(n, heads, dh, len);                                         // (N, heads, dh, L)
            v = v.reshape(n, heads, dh, len).transpose(0, 1, 3, 2);                   // (N, heads, L, dh)
            float[] causal = new float[(int) (len * len)];
            for (int i = 0; i < len; i++) {
                for (int j = i + 1; j < len; j++) causal[(int) (i * len + j)] = -1e9f;  // query i sees keys j <= i
            }
            NDArray maskArr = x.getManager().create(causal, new Shape(1, 1, len, len)).toDevice(x.getDevice(), false);
            NDArray att = Scalar.div(q.matMul(k), Math.sqrt(dh)).add(maskArr).softmax(-1);
            NDArray o = att.matMul(v).transpose(0, 1, 3, 2).reshape(n, c, hgt, wid);
            o = conv(o, value(ps, oW, x, training), null, value(ps, oB, x, training), 0, 0);
            NDList planes = new NDList(x.get(new NDIndex(":, 0")), h.add(o));
            if (s.get(1) == 3) planes.add(x.get(new NDIndex(":, 2")));
            return new NDList(NDArrays.stack(planes, 1));
        }
    }

    /** The horizontal stack as an image. */
    static final class Output extends Base {
        Output(StackOutput o, netbook.dsl.Shape in) {
            super(o, in);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(inputs.head().get(new NDIndex(":, 1")));
        }
    }
}
