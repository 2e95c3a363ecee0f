package netbook.vq;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Random;
import netbook.data.Batches;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import netbook.internal.djl.Compiler;
import netbook.train.InPlaceOptimizer;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.TrainingLoop;
import tech.tablesaw.api.Table;

/**
 * An autoregressive prior over code maps (a network from {@link VqVae2#prior}), trained by softmax
 * cross-entropy on the codes, evaluated by negative log-likelihood and sampled ancestrally, code by
 * code in raster order, with a seeded generator.
 * <pre>
 * PriorModel p = PriorModel.train(prior, Codes.of(n, 7, 7, codes), settings, Progress.none());
 * double bits = p.nll(testCodes) / Math.log(2);   // bits per code
 * int[] samples = p.sample(16, null, 7);
 * </pre>
 */
public final class PriorModel implements AutoCloseable {
    /** N code maps of H x W, row-major, and an optional condition plane of the same size. */
    public record Codes(int n, int height, int width, int[] codes, int[] condition) {
        public Codes {
            if (codes.length != n * height * width) throw new NetbookException("codes: expected " + n * height * width + " values, received " + codes.length);
            if (condition != null && condition.length != codes.length) {
                throw new NetbookException("condition: expected " + codes.length + " values (one per code), received " + condition.length);
            }
        }

        public static Codes of(int n, int height, int width, int[] codes) { return new Codes(n, height, width, codes, null); }
        public Codes conditionedOn(int[] plane) { return new Codes(n, height, width, codes, plane); }

        /**
         * These code maps repeated {@code factor} times along both axes (nearest upsampling): the top
         * codes as the condition plane of the bottom level's prior.
         */
        public int[] upsampled(int factor) {
            if (factor < 1) throw new NetbookException("Codes.upsampled: factor must be at least 1, received " + factor);
            int[] out = new int[n * height * factor * width * factor];
            int wo = width * factor;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < height * factor; i++) {
                    for (int j = 0; j < wo; j++) {
                        out[(b * height * factor + i) * wo + j] = codes[(b * height + i / factor) * width + j / factor];
                    }
                }
            }
            return out;
        }
    }

    private final Net net;
    private final Model model;
    private final Block block;
    private final Table curve;
    private final int classes;

    private PriorModel(Net net, Model model, Block block, Table curve) {
        this.net = net;
        this.model = model;
        this.block = block;
        this.curve = curve;
        this.classes = (int) net.outputShape().dim(0);
    }

    public static PriorModel train(Net prior, Codes data, VqVaeModel.Settings s, Progress progress) {
        Shape in = prior.inputShape();
        boolean conditional = in.dim(0) == 2;
        if (in.dim(1) != data.height() || in.dim(2) != data.width()) {
            throw new NetbookException(prior.name() + " models " + in.dim(1) + "x" + in.dim(2) + " code maps, received "
                    + data.height() + "x" + data.width());
        }
        if (conditional != (data.condition() != null)) {
            throw new NetbookException(prior.name() + (conditional ? " needs a condition plane: Codes.conditionedOn(...)" : " takes no condition"));
        }
        Block block = Compiler.compile(prior);
        Model model = Training.model(prior.name(), block, s.seed(), in, Math.min(s.batchSize(), data.n()));
        PriorModel p = new PriorModel(prior, model, block, null);
        float[] inputs = p.inputs(data);
        int width = (int) in.size();
        int stepsPerEpoch = (data.n() + s.batchSize() - 1) / s.batchSize();
        List<Pair<String, NDArray>> state = Training.state(block);
        TrainingLoop.Task task = new TrainingLoop.Task() {
            @Override public int stepsPerEpoch() { return stepsPerEpoch; }
            @Override public List<int[]> batches(int epoch) { return Batches.of(data.n(), s.batchSize(), true, s.seed(), epoch); }
            @Override public List<Pair<String, NDArray>> state() { return state; }
            @Override public Model model() { return model; }
            @Override public Block root() { return block; }

            /** Cross-entropy of the codes under the prior's logits, nats per code. */
            @Override
            public TrainingLoop.StepLoss forward(NDManager scope, int[] batch, int epoch, int step) {
                NDArray x = Training.rows(scope, inputs, width, batch, in.dims());
                return new TrainingLoop.StepLoss(p.nll(block.forward(new ParameterStore(scope, false), new NDList(x), true).head(), x));
            }

            @Override
            public String explainNonFinite(NDManager scope, int[] batch) {
                NDArray x = Training.rows(scope, inputs, width, batch, in.dims());
                return netbook.train.NonFiniteLocator.rerun(block, x,
                        () -> p.nll(block.forward(new ParameterStore(scope, false), new NDList(x), true).head(), x));
            }
        };
        try (InPlaceOptimizer adam = InPlaceOptimizer.of(Optimizers.adam(s.lr()), block.getParameters(), model.getNDManager(),
                stepsPerEpoch, s.steps())) {
            TrainingLoop.Result r = TrainingLoop.of(prior.name(), task, adam)
                    .epochs((s.steps() + stepsPerEpoch - 1) / stepsPerEpoch).maxSteps(s.steps()).seed(s.seed())
                    .progress(progress).stepLog(10).run();
            Table curve = r.steps().setName(prior.name() + " training");
            curve.column("loss").setName("nll_nats_per_code");
            return new PriorModel(prior, model, block, curve);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Every tenth step's training NLL. */
    public Table curve() { return curve; }
    public Net net() { return net; }

    /** Mean cross-entropy in nats of the codes in plane 0 of {@code x} under {@code logits} (N, K, H, W). */
    private NDArray nll(NDArray logits, NDArray x) {
        NDArray target = x.get(new NDIndex(":, 0")).toType(DataType.INT64, false);
        NDArray onehot = target.oneHot(classes, logits.getDataType()).transpose(0, 3, 1, 2);
        return logits.logSoftmax(1).mul(onehot).sum(new int[] {1}).mean().neg();
    }

    private float[] inputs(Codes d) {
        int plane = d.height() * d.width();
        int planes = d.condition() == null ? 1 : 2;
        float[] f = new float[d.n() * planes * plane];
        for (int i = 0; i < d.n(); i++) {
            for (int j = 0; j < plane; j++) {
                f[(i * planes) * plane + j] = d.codes()[i * plane + j];
                if (planes == 2) f[(i * planes + 1) * plane + j] = d.condition()[i * plane + j];
            }
        }
        return f;
    }

    /** Mean negative log-likelihood of the codes in nats per code. */
    public double nll(Codes d) {
        Shape in = net.inputShape();
        float[] inputs = inputs(d);
        int width = (int) in.size();
        double sum = 0;
        for (int[] batch : Batches.of(d.n(), 250, false, 0, 0)) {
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray x = Training.rows(m, inputs, width, batch, in.dims());
                NDArray logits = block.forward(new ParameterStore(m, false), new NDList(x), false).head();
                sum += nll(logits, x).getFloat() * batch.length;
            }
        }
        return sum / d.n();
    }

    /**
     * {@code n} code maps drawn ancestrally: position by position in raster order, each code from the
     * softmax of the prior given the codes drawn so far (and the condition plane, n * H * W values,
     * when the prior is conditional). The same seed gives the same samples.
     */
    public int[] sample(int n, int[] condition, long seed) {
        Shape in = net.inputShape();
        int h = (int) in.dim(1);
        int w = (int) in.dim(2);
        int plane = h * w;
        int[] codes = new int[n * plane];
        Codes d = new Codes(n, h, w, codes, condition);
        float[] x = inputs(d);
        int planes = (int) in.dim(0);
        Random rng = new Random(seed);
        for (int pos = 0; pos < plane; pos++) {
            int i = pos / w;
            int j = pos % w;
            float[] probs;
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray xa = m.create(x, new ai.djl.ndarray.types.Shape(in.withBatch(n)));
                NDArray logits = block.forward(new ParameterStore(m, false), new NDList(xa), false).head();
                probs = logits.get(new NDIndex(":, :, " + i + ", " + j)).softmax(1).toFloatArray();   // (n, K)
            }
            for (int b = 0; b < n; b++) {
                double u = rng.nextDouble();
                double acc = 0;
                int k = classes - 1;
                for (int c = 0; c < classes; c++) {
                    acc += probs[b * classes + c];
                    if (u < acc) {
                        k = c;
                        break;
                    }
                }
                codes[b * plane + pos] = k;
                x[(b * planes) * plane + pos] = k;
            }
        }
        return codes;
    }

    @Override
    public void close() {
        model.close();
    }
}
