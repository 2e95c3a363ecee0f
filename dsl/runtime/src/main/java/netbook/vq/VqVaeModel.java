package netbook.vq;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import netbook.data.ArrayDataset;
import netbook.data.Batches;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import netbook.train.InPlaceOptimizer;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.TrainingLoop;
import tech.tablesaw.api.Table;

/**
 * A (hierarchical) VQ-VAE trained on images: loss = mean squared reconstruction error + the levels'
 * latent losses (codebook and commitment terms), Adam, through the {@link TrainingLoop}. Evaluates reconstruction MSE and codebook
 * perplexity and usage per level, extracts codes and decodes codes back to images.
 * <pre>
 * try (VqVaeModel m = VqVaeModel.train(net, train, VqVaeModel.settings().steps(2000).lr(2e-4), Progress.none())) {
 *     VqVaeModel.Evaluation e = m.evaluate(test);
 * }
 * </pre>
 */
public final class VqVaeModel implements AutoCloseable {
    /**
     * Adam steps, batch size, learning rate, seed (initial weights and batch order); start from
     * {@link #DEFAULT} ({@code settings()}) and change what differs: {@code settings().steps(250).lr(2e-3)}.
     */
    public record Settings(int steps, int batchSize, double lr, long seed) {
        /** 1,000 Adam steps of 64 examples at 1e-3, seed 42. */
        public static final Settings DEFAULT = new Settings(1000, 64, 1e-3, 42);

        public Settings {
            if (steps < 1) throw new NetbookException("VqVaeModel.Settings: steps must be at least 1, received " + steps);
            if (batchSize < 1) throw new NetbookException("VqVaeModel.Settings: batchSize must be at least 1, received " + batchSize);
            if (!(lr > 0) || !Double.isFinite(lr)) throw new NetbookException("VqVaeModel.Settings: lr must be positive and finite, received " + lr);
        }

        public Settings steps(int v) { return new Settings(v, batchSize, lr, seed); }
        public Settings batchSize(int v) { return new Settings(steps, v, lr, seed); }
        public Settings lr(double v) { return new Settings(steps, batchSize, v, seed); }
        public Settings seed(long v) { return new Settings(steps, batchSize, lr, v); }
    }

    /** {@link Settings#DEFAULT}, to change with its withers. */
    public static Settings settings() { return Settings.DEFAULT; }

    /** One level's codebook over a whole data set: perplexity exp(H(p)) of the code histogram, fraction of codes used. */
    public record LevelStats(String level, int height, int width, int codes, double perplexity, double usage) {}

    /** Mean squared error per pixel and per-level codebook statistics. */
    public record Evaluation(double mse, List<LevelStats> levels) {}

    private final Net net;
    private final VqHierarchy spec;
    private final Model model;
    private final HierarchyBlock block;
    private final Table curve;

    private VqVaeModel(Net net, VqHierarchy spec, Model model, HierarchyBlock block, Table curve) {
        this.net = net;
        this.spec = spec;
        this.model = model;
        this.block = block;
        this.curve = curve;
    }

    /** The hierarchy of a network made of one VQ-VAE block. */
    static VqHierarchy hierarchyOf(Net net) {
        if (net.body().items().size() == 1) {
            Layer l = net.body().items().get(0).layer();
            if (l instanceof Layer.Named n) l = n.layer();
            if (l instanceof VqHierarchy h) return h;
        }
        throw new NetbookException(net.name() + ": expected a network of one VQ-VAE block (levels(...).decoder(...)), received "
                + net.body().items().size() + " blocks");
    }

    public static VqVaeModel train(Net net, ArrayDataset data, Settings s, Progress progress) {
        VqHierarchy spec = hierarchyOf(net);
        Shape in = net.inputShape();
        if (!data.shape().equals(in)) {
            throw new NetbookException(net.name() + " takes examples of " + in + " but " + data.name() + " has " + data.shape());
        }
        HierarchyBlock block = (HierarchyBlock) spec.toBlock(in);
        Model model = Training.model(net.name(), block, s.seed(), in, Math.min(s.batchSize(), data.size()));
        int width = (int) in.size();
        float[] features = new float[data.size() * width];
        for (int i = 0; i < data.size(); i++) data.copyFeatures(i, features, i * width);
        int stepsPerEpoch = (data.size() + s.batchSize() - 1) / s.batchSize();
        List<Pair<String, NDArray>> state = Training.state(block);
        TrainingLoop.Task task = new TrainingLoop.Task() {
            @Override public int stepsPerEpoch() { return stepsPerEpoch; }
            @Override public List<int[]> batches(int epoch) { return Batches.of(data.size(), s.batchSize(), true, s.seed(), epoch); }
            @Override public List<Pair<String, NDArray>> state() { return state; }
            @Override public Model model() { return model; }
            @Override public ai.djl.nn.Block root() { return block; }

            /** Mean squared reconstruction error + the levels' latent losses; MSE and each level's perplexity reported. */
            @Override
            public TrainingLoop.StepLoss forward(NDManager scope, int[] batch, int epoch, int step) {
                NDArray x = Training.rows(scope, features, width, batch, in.dims());
                NDList out = block.forward(new ParameterStore(scope, false), new NDList(x), true);
                NDArray mse = out.get("reconstruction").sub(x).square().mean();
                Map<String, NDArray> reported = new LinkedHashMap<>();
                reported.put("mse", mse);
                for (Level l : spec.levels()) reported.put("perplexity_" + l.name(), out.get("perplexity_" + l.name()));
                return new TrainingLoop.StepLoss(mse.add(out.get("latent_loss")), reported);
            }

            @Override
            public String explainNonFinite(NDManager scope, int[] batch) {
                NDArray x = Training.rows(scope, features, width, batch, in.dims());
                return netbook.train.NonFiniteLocator.rerun(block, x, () -> {
                    NDList out = block.forward(new ParameterStore(scope, false), new NDList(x), true);
                    return out.get("reconstruction").sub(x).square().mean().add(out.get("latent_loss"));
                });
            }
        };
        try (InPlaceOptimizer adam = InPlaceOptimizer.of(Optimizers.adam(s.lr()), block.getParameters(), model.getNDManager(),
                stepsPerEpoch, s.steps())) {
            TrainingLoop.Result r = TrainingLoop.of(net.name(), task, adam)
                    .epochs((s.steps() + stepsPerEpoch - 1) / stepsPerEpoch).maxSteps(s.steps()).seed(s.seed())
                    .progress(progress).stepLog(10).run();
            return new VqVaeModel(net, spec, model, block, r.steps().setName(net.name() + " training"));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public Net net() { return net; }
    public VqHierarchy spec() { return spec; }
    /** Every tenth step: loss, MSE and each level's batch perplexity. */
    public Table curve() { return curve; }

    /** Runs the model in inference mode on {@code data}, batch by batch, giving each batch's outputs. */
    private void each(ArrayDataset data, int batchSize, java.util.function.BiConsumer<int[], NDList> use) {
        Shape in = net.inputShape();
        int width = (int) in.size();
        for (int[] batch : Batches.of(data.size(), batchSize, false, 0, 0)) {
            try (NDManager m = model.getNDManager().newSubManager()) {
                float[] buf = new float[batch.length * width];
                for (int i = 0; i < batch.length; i++) data.copyFeatures(batch[i], buf, i * width);
                NDArray x = m.create(buf, new ai.djl.ndarray.types.Shape(in.withBatch(batch.length)));
                NDList out = block.forward(new ParameterStore(m, false), new NDList(x), false);
                out.add(0, x);
                use.accept(batch, out);
            }
        }
    }

    public Evaluation evaluate(ArrayDataset data) {
        int levels = spec.levels().size();
        List<Shape> shapes = spec.codeShapes(net.inputShape());
        long[][] hist = new long[levels][];
        for (int i = 0; i < levels; i++) hist[i] = new long[spec.levels().get(i).quantize().count()];
        double[] sse = {0};
        each(data, 250, (batch, out) -> {
            sse[0] += out.get(1).sub(out.get(0)).square().sum().getFloat();
            for (int i = 0; i < levels; i++) {
                for (long c : out.get(3 + i).toLongArray()) hist[i][(int) c]++;
            }
        });
        List<LevelStats> stats = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            Level l = spec.levels().get(i);
            stats.add(new LevelStats(l.name(), (int) shapes.get(i).dim(0), (int) shapes.get(i).dim(1), l.quantize().count(),
                    perplexity(hist[i]), usage(hist[i])));
        }
        return new Evaluation(sse[0] / ((double) data.size() * net.inputShape().size()), stats);
    }

    /** exp of the entropy of a histogram. */
    public static double perplexity(long[] hist) {
        double total = 0;
        for (long h : hist) total += h;
        double entropy = 0;
        for (long h : hist) {
            if (h > 0) {
                double p = h / total;
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    /** Fraction of histogram cells that are not empty. */
    public static double usage(long[] hist) {
        long used = 0;
        for (long h : hist) if (h > 0) used++;
        return (double) used / hist.length;
    }

    /** The codes of every example, one row-major (N * H * W) array per level, bottom first. */
    public List<int[]> codes(ArrayDataset data) {
        int levels = spec.levels().size();
        List<Shape> shapes = spec.codeShapes(net.inputShape());
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < levels; i++) out.add(new int[(int) (data.size() * shapes.get(i).size())]);
        each(data, 250, (batch, o) -> {
            for (int i = 0; i < levels; i++) {
                long[] c = o.get(3 + i).toLongArray();
                int per = (int) shapes.get(i).size();
                for (int b = 0; b < batch.length; b++) {
                    for (int j = 0; j < per; j++) out.get(i)[batch[b] * per + j] = (int) c[b * per + j];
                }
            }
        });
        return out;
    }

    /** Reconstructions of every example, row-major (N, C, H, W). */
    public float[] reconstruct(ArrayDataset data) {
        int width = (int) net.inputShape().size();
        float[] out = new float[data.size() * width];
        each(data, 250, (batch, o) -> {
            float[] r = o.get(1).toFloatArray();
            for (int b = 0; b < batch.length; b++) System.arraycopy(r, b * width, out, batch[b] * width, width);
        });
        return out;
    }

    /** Images decoded from {@code n} examples' codes (one row-major array per level, bottom first). */
    public float[] decode(List<int[]> codes, int n) {
        List<Shape> shapes = spec.codeShapes(net.inputShape());
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList list = new NDList();
            for (int i = 0; i < shapes.size(); i++) {
                int[] c = codes.get(i);
                list.add(m.create(java.util.Arrays.copyOf(c, (int) (n * shapes.get(i).size())),
                        new ai.djl.ndarray.types.Shape(shapes.get(i).withBatch(n))));
            }
            return block.decode(new ParameterStore(m, false), list).toFloatArray();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
