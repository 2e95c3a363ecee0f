package netbook.vq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import netbook.internal.djl.Scalar;

/**
 * The compiled {@link VectorQuantize}. Outputs: quantised (N, D, H, W) with the straight-through
 * gradient, loss, codes (N, H, W) int64, perplexity, fraction of codes used.
 */
final class QuantizerBlock extends AbstractBlock {
    static final int QUANTIZED = 0;
    static final int LOSS = 1;
    static final int CODES = 2;
    static final int PERPLEXITY = 3;
    static final int USAGE = 4;

    private final VectorQuantize spec;
    private final Parameter embed;
    private final Parameter clusterSize;
    private final Parameter embedSum;
    private final Parameter steps;

    QuantizerBlock(VectorQuantize spec) {
        this.spec = spec;
        int k = spec.count();
        int d = spec.dim();
        // Sonnet: VarianceScaling(uniform) over a [D, K] matrix, limit sqrt(3 / D); rosinality: randn.
        Initializer init = spec.emaUpdates() && !spec.debiased() ? new NormalInitializer(1f)
                : new UniformInitializer((float) Math.sqrt(3.0 / d));
        embed = addParameter(Parameter.builder().setName("embed").setType(Parameter.Type.OTHER)
                .optRequiresGrad(!spec.emaUpdates()).optInitializer(init).optShape(new Shape(k, d)).build());
        if (spec.emaUpdates()) {
            clusterSize = addParameter(buffer("cluster_size", new Shape(k)));
            embedSum = addParameter(buffer("embed_avg", new Shape(k, d)));
            steps = addParameter(buffer("steps", new Shape(1)));
        } else {
            clusterSize = null;
            embedSum = null;
            steps = null;
        }
    }

    private static Parameter buffer(String name, Shape shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optRequiresGrad(false)
                .optInitializer(Initializer.ZEROS).optShape(shape).build();
    }

    VectorQuantize spec() { return spec; }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        boolean fresh = !embed.isInitialized();
        super.initialize(manager, dataType, inputShapes);
        if (fresh && spec.emaUpdates() && !spec.debiased()) {
            embedSum.getArray().addi(embed.getArray()); // rosinality: embed_avg = embed.clone()
        }
    }

    /** Sets the codebook (row-major K x D); for rosinality's EMA also its running sums, as at initialisation. */
    void resetCodebook(float[] values) {
        embed.getArray().set(values);
        if (spec.emaUpdates() && !spec.debiased()) embedSum.getArray().set(values);
    }

    /** The EMA state: cluster sizes (K), running sums (K, D), steps; null for a trainable codebook. */
    NDArray[] emaState() {
        return spec.emaUpdates() ? new NDArray[] {clusterSize.getArray(), embedSum.getArray(), steps.getArray()} : null;
    }

    /** The codebook as the engine holds it (K, D). */
    NDArray codebook() {
        return embed.getArray();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();                                   // (N, D, H, W)
        NDManager m = x.getManager();
        int k = spec.count();
        int d = spec.dim();
        Shape s = x.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        NDArray e = ps.getValue(embed, x.getDevice(), training);    // (K, D)
        NDArray flat = x.transpose(0, 2, 3, 1).reshape(-1, d);        // (M, D)
        NDArray fd = flat.stopGradient();
        NDArray ed = e.stopGradient();
        ed.attach(m);
        // ||x||^2 - 2 x.e + ||e||^2, as Sonnet
        NDArray dist = fd.square().sum(new int[] {1}, true)
                .sub(Scalar.mul(fd.matMul(ed.transpose()), 2))
                .add(ed.square().sum(new int[] {1}).reshape(1, k));
        NDArray codes = dist.argMin(1);                               // (M) int64
        NDArray onehot = codes.oneHot(k, x.getDataType());            // (M, K)
        NDArray q = onehot.matMul(spec.emaUpdates() ? ed : e);               // (M, D); grads reach e when trainable
        NDArray commitment = q.stopGradient().sub(flat).square().mean();
        NDArray loss = spec.emaUpdates() ? Scalar.mul(commitment, spec.beta())
                : q.sub(fd).square().mean().add(Scalar.mul(commitment, spec.beta()));
        NDArray out = flat.add(q.sub(flat).stopGradient())           // straight-through
                .reshape(n, h, w, d).transpose(0, 3, 1, 2);
        NDArray counts = onehot.sum(new int[] {0});                   // (K)
        NDArray p = counts.div(counts.sum());
        NDArray perplexity = p.mul(p.add(1e-10f).log()).sum().neg().exp();
        NDArray usage = Scalar.div(counts.gt(0).toType(x.getDataType(), false).sum(), k);
        if (training && spec.emaUpdates()) {
            emaUpdate(ps, x, counts, onehot.transpose().matMul(fd));
        }
        return new NDList(out, loss, codes.reshape(n, h, w), perplexity, usage);
    }

    /** Sonnet's VectorQuantizerEMA update, in place on the buffers. */
    private void emaUpdate(ParameterStore ps, NDArray x, NDArray counts, NDArray dw) {
        NDArray e = ps.getValue(embed, x.getDevice(), true);
        NDArray cs = ps.getValue(clusterSize, x.getDevice(), true);
        NDArray sum = ps.getValue(embedSum, x.getDevice(), true);
        NDArray t = ps.getValue(steps, x.getDevice(), true);
        double decay = spec.decay();
        try (NDManager sub = x.getManager().newSubManager()) {
            sub.tempAttachAll(e, cs, sum, t);
            cs.muli((float) decay).addi(counts.mul((float) (1 - decay)));
            sum.muli((float) decay).addi(dw.mul((float) (1 - decay)));
            t.addi(1);
            double debias = spec.debiased() ? 1 - Math.pow(decay, t.getFloat()) : 1;
            NDArray csAvg = cs.div((float) debias);
            NDArray sumAvg = sum.div((float) debias);
            NDArray total = csAvg.sum();
            NDArray smoothed = csAvg.add((float) spec.epsilon()).div(total.add((float) (spec.count() * spec.epsilon()))).mul(total);
            NDArray updated = sumAvg.div(smoothed.reshape(spec.count(), 1));
            e.muli(0).addi(updated);
        }
    }

    /** The codebook vectors of {@code codes} (N, H, W) as an (N, D, H, W) map. */
    NDArray lookup(ParameterStore ps, NDArray codes) {
        NDArray e = ps.getValue(embed, codes.getDevice(), false);
        NDArray ed = e.stopGradient();
        ed.attach(codes.getManager());
        Shape s = codes.getShape();
        NDArray onehot = codes.toType(DataType.INT64, false).reshape(-1).oneHot(spec.count(), ed.getDataType());
        return onehot.matMul(ed).reshape(s.get(0), s.get(1), s.get(2), spec.dim()).transpose(0, 3, 1, 2);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in, new Shape(), new Shape(in.get(0), in.get(2), in.get(3)), new Shape(), new Shape()};
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
