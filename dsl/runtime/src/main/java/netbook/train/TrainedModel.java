package netbook.train;

import netbook.env.Stamp;
import netbook.env.Env;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import netbook.data.ArrayDataset;
import netbook.data.Dataset;
import netbook.data.Batches;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A trained network: its spec, its parameters on the engine, its metrics table and the stamp of
 * how it was made. Evaluate, predict, save; close when done to free native memory.
 * <pre>
 * Table t = model.evaluate(FashionMnist.test());
 * model.save(Path.of("cnn.netbook"));
 * TrainedModel again = TrainedModel.load(Path.of("cnn.netbook"));
 * </pre>
 */
public final class TrainedModel implements AutoCloseable {
    private final Net net;
    private final Model model;
    private final Trainer trainer;
    private final Loss loss;
    private final boolean accuracy;
    private final Stamp stamp;
    private Table metrics;
    private netbook.data.Tabular.Encoding encoding;
    private java.util.List<String> classNames = java.util.List.of();
    private java.util.Set<Parameter> frozen = java.util.Set.of();
    private java.util.List<String> frozenPaths = java.util.List.of();

    TrainedModel(Net net, Model model, Trainer trainer, Loss loss, boolean accuracy, Stamp stamp) {
        this.net = net;
        this.model = model;
        this.trainer = trainer;
        this.loss = loss;
        this.accuracy = accuracy;
        this.stamp = stamp;
    }

    void setMetrics(Table t) { this.metrics = t; }
    void setEncoding(netbook.data.Tabular.Encoding e) { this.encoding = e; }
    /** The data's class names, then the numbers of any outputs beyond them (a 10-way zoo head trained on 3 classes). */
    void setClassNames(java.util.List<String> names) {
        java.util.List<String> all = new java.util.ArrayList<>(names);
        long outputs = net.outputShape().rank() == 1 ? net.outputShape().dim(0) : names.size();
        for (int k = names.size(); k < outputs; k++) all.add(all.contains(String.valueOf(k)) ? "output " + k : String.valueOf(k));
        this.classNames = java.util.List.copyOf(all);
    }

    /**
     * The name of each output class, as the training data named them (folder names, label values,
     * Fashion-MNIST's garments); the class numbers for a model trained on unnamed classes, and
     * empty for regression. Saved with the model, so {@code predict} names its classes.
     */
    public java.util.List<String> classNames() {
        if (!classNames.isEmpty() || encoding != null && encoding.regression() || net.outputShape().rank() != 1) return classNames;
        return java.util.stream.LongStream.range(0, net.outputShape().dim(0)).mapToObj(String::valueOf).toList();
    }
    void setFrozen(java.util.Set<Parameter> f) { this.frozen = f; }
    void setFrozenPaths(java.util.List<String> paths) { this.frozenPaths = java.util.List.copyOf(paths); }

    /** The network's layer table with the blocks that {@code Fit.freeze} held fixed marked frozen (trained = false). */
    public netbook.dsl.Summary summary() {
        return net.summary().freezing(frozenPaths.toArray(String[]::new));
    }

    /** Every parameter and buffer: block path, shape, number of values, and whether training updates it (frozen: no). */
    public Table parameters() {
        StringColumn path = StringColumn.create("path");
        StringColumn shape = StringColumn.create("shape");
        tech.tablesaw.api.LongColumn count = tech.tablesaw.api.LongColumn.create("values");
        StringColumn role = StringColumn.create("trained");
        java.util.Map<Parameter, String> paths = netbook.internal.djl.Trace.parameterPaths(model.getBlock());
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            Parameter param = p.getValue();
            path.append(paths.getOrDefault(param, p.getKey()));
            shape.append(param.getArray().getShape().toString());
            count.append(param.getArray().size());
            role.append(!param.requiresGradient() ? "buffer" : frozen.contains(param) ? "frozen" : "yes");
        }
        return Table.create(net.name() + " parameters", path, shape, count, role);
    }

    /** How table rows become this model's inputs (columns, scaling, categories, classes); null unless trained on a {@link netbook.data.Tabular}. */
    public netbook.data.Tabular.Encoding encoding() { return encoding; }

    public Net net() { return net; }
    /** One row per epoch. */
    public Table metrics() { return metrics; }
    public Stamp stamp() { return stamp; }
    /** The DJL model, for what Netbook does not wrap. */
    public Model djlModel() { return model; }

    private void requireShape(Dataset data, String what) {
        if (data == null) throw new NetbookException(what + ": the data is null");
        if (!data.shape().equals(net.inputShape())) {
            throw new NetbookException(what + ": " + net.name() + " takes examples of " + net.inputShape() + " but " + data.name()
                    + " has examples of " + data.shape());
        }
    }

    /** Loss and accuracy on {@code data} in inference mode, as a one-row table. */
    public Table evaluate(Dataset data) {
        requireShape(data, "evaluate");
        double[] r = lossAndAccuracy(data, 256);
        return Table.create(net.name() + " evaluation",
                StringColumn.create("data", data.name()),
                IntColumn.create("examples", new int[] {data.size()}),
                DoubleColumn.create("loss", r[0]),
                DoubleColumn.create("accuracy", accuracy ? r[1] : Double.NaN));
    }

    /** Main-output scores (logits for classifiers), one row per example. */
    public float[][] predict(Dataset data) {
        requireShape(data, "predict");
        return predict(model, data);
    }

    /**
     * Main-output rows of {@code model} on {@code data} in inference mode (dropout off, batch-norm's
     * running statistics read, not updated), in batches of 256: what {@link #predict(Dataset)} and
     * {@link Callback.Run#predict} return.
     */
    static float[][] predict(Model model, Dataset data) {
        float[][] out = new float[data.size()][];
        int row = 0;
        BatchMemory memory = new BatchMemory();   // each batch's scores are copied out before the next is read
        for (int[] batch : Batches.of(data.size(), 256, false, 0, 0)) {
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray scores = forward(model, m, data, batch, memory).get(0);
                long width = scores.getShape().size() / batch.length;
                float[] flat = scores.toFloatArray();
                for (int i = 0; i < batch.length; i++) {
                    out[row++] = java.util.Arrays.copyOfRange(flat, (int) (i * width), (int) ((i + 1) * width));
                }
            }
        }
        return out;
    }

    /** Rows: actual class, columns: predicted class, on {@code data}; {@link Metrics#heatmap} draws it. */
    public Table confusionMatrix(Dataset data) {
        return Metrics.confusionMatrix(classLabels(data), predictClasses(data), data.classes());
    }

    /** Precision, recall, F1 and support per class on {@code data}, with a macro-average row. */
    public Table perClass(Dataset data) {
        return Metrics.perClass(classLabels(data), predictClasses(data), data.classNames());
    }

    private static int[] classLabels(Dataset data) {
        if (!data.hasLabels()) throw new NetbookException(data.name() + " has no labels");
        int[] y = new int[data.size()];
        for (int i = 0; i < y.length; i++) y[i] = data.label(i);
        return y;
    }

    /** The predicted class (argmax of the main output) of every example. */
    public int[] predictClasses(Dataset data) {
        float[][] s = predict(data);
        int[] c = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            int best = 0;
            for (int j = 1; j < s[i].length; j++) if (s[i][j] > s[i][best]) best = j;
            c[i] = best;
        }
        return c;
    }

    double[] lossAndAccuracy(Dataset data, int batchSize) {
        if (!data.shape().equals(net.inputShape())) {
            throw new NetbookException(net.name() + " takes examples of " + net.inputShape() + " but " + data.name()
                    + " has examples of " + data.shape());
        }
        double lossSum = 0;
        long correct = 0;
        BatchMemory memory = new BatchMemory();   // each batch is summed up before the next is read
        for (int[] batch : Batches.of(data.size(), batchSize, false, 0, 0)) {
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList preds = forward(model, m, data, batch, memory);
                if (data.hasLabels()) {
                    NDArray y = labels(m, data, batch).toDevice(preds.get(0).getDevice(), false);
                    lossSum += loss.evaluate(new NDList(y), new NDList(preds.get(0))).getFloat() * batch.length;
                    if (accuracy) {
                        correct += preds.get(0).argMax(1).eq(y.toType(DataType.INT64, false)).sum().getLong();
                    }
                }
            }
        }
        return new double[] {lossSum / data.size(), (double) correct / data.size()};
    }

    private static NDList forward(Model model, NDManager m, Dataset data, int[] batch, BatchMemory memory) {
        NDArray x = features(m, data, batch, memory).toDevice(model.getNDManager().getDevice(), false);
        return model.getBlock().forward(new ParameterStore(m, false), new NDList(x), false);
    }

    /** A batch's features in {@code m}, read into {@code memory}'s reused buffers: valid until {@code m} closes. */
    static NDArray features(NDManager m, Dataset data, int[] batch, BatchMemory memory) {
        float[] buf = memory.floats(Math.toIntExact(batch.length * data.shape().size()));
        data.read(batch, buf);
        return memory.wrap(m, buf, new ai.djl.ndarray.types.Shape(data.shape().withBatch(batch.length)));
    }

    static NDArray labels(NDManager m, Dataset data, int[] batch) {
        if (!data.hasLabels() && !data.isRegression()) throw new NetbookException(data.name() + " has no labels");
        float[] y = new float[batch.length];
        for (int i = 0; i < batch.length; i++) {
            y[i] = data.isRegression() ? data.target(batch[i]) : data.label(batch[i]);
        }
        return m.create(y);
    }

    /** MSE, MAE and R-squared of the single output against {@code data}'s numeric targets. */
    public Table regressionMetrics(Dataset data) {
        if (!data.isRegression()) throw new NetbookException("regressionMetrics: " + data.name() + " holds classes; use confusionMatrix or perClass");
        float[][] p = predict(data);
        double[] actual = new double[p.length];
        double[] predicted = new double[p.length];
        // In the target's own units when the data came from a table (the network learns it standardised).
        netbook.data.Tabular.Encoding e = data.encoding() != null ? data.encoding() : encoding;
        for (int i = 0; i < p.length; i++) {
            actual[i] = e != null ? e.unscale(data.target(i)) : data.target(i);
            predicted[i] = e != null ? e.unscale(p[i][0]) : p[i][0];
        }
        return Metrics.regression(actual, predicted);
    }

    /** Writes spec, parameters and stamp into one file, atomically. */
    public void save(Path file) throws IOException {
        Checkpoint.save(file, net, model.getBlock(), stamp, metrics, encoding, classNames);
    }

    /**
     * Writes every parameter and buffer (batch-norm running statistics included) as float32 arrays
     * of an {@code .npz} file, keyed {@code NNNN:name} in the network's order: the order in which
     * {@code spec_torch.py} registers the same tensors, so {@code load_npz(torch_net, file)} loads
     * them into the PyTorch network built from the same spec.
     */
    public void exportWeights(Path npz) throws IOException {
        List<Npz.Entry> out = new ArrayList<>();
        int i = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray a = p.getValue().getArray();
            out.add(new Npz.Entry(String.format(java.util.Locale.ROOT, "%04d:%s", i++, p.getKey()), a.getShape().getShape(),
                    a.toType(DataType.FLOAT32, false).toFloatArray()));
        }
        Npz.write(npz, out);
    }

    /**
     * Loads weights from an {@code .npz} file into this model, matched by order (keys sort in the
     * model's order, as {@link #exportWeights} and {@code spec_torch.py save_npz} write them) and
     * checked by shape: a missing, extra or mis-shaped tensor is an error that names it and the
     * parameter it would have filled, and nothing is changed.
     */
    public void importWeights(Path npz) {
        List<Npz.Entry> in = Npz.read(npz);
        List<Pair<String, Parameter>> params = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) params.add(p);
        for (int i = 0; i < Math.max(in.size(), params.size()); i++) {
            if (i >= in.size()) {
                throw new NetbookException(npz + ": " + in.size() + " tensors, " + net.name() + " has " + params.size()
                        + "; missing from parameter " + params.get(i).getKey() + " " + params.get(i).getValue().getArray().getShape() + " on");
            }
            if (i >= params.size()) {
                throw new NetbookException(npz + ": " + in.size() + " tensors, " + net.name() + " has " + params.size()
                        + "; extra from tensor " + in.get(i).name() + " " + Npz.shape(in.get(i).shape()) + " on");
            }
            long[] want = params.get(i).getValue().getArray().getShape().getShape();
            if (!java.util.Arrays.equals(want, in.get(i).shape())) {
                throw new NetbookException(npz + ": tensor " + i + " (" + in.get(i).name() + ") has shape " + Npz.shape(in.get(i).shape())
                        + " but " + net.name() + "'s parameter " + params.get(i).getKey() + " is " + Npz.shape(want));
            }
        }
        boolean gradMode = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try (NDManager m = model.getNDManager().newSubManager()) {
            for (int i = 0; i < in.size(); i++) {
                NDArray target = params.get(i).getValue().getArray();
                m.create(in.get(i).values(), target.getShape()).toType(target.getDataType(), false).copyTo(target);
            }
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(gradMode);
        }
    }

    /** The network compiled and initialised from {@code seed}, untrained: for importing weights or predicting. */
    public static TrainedModel untrained(Net net, long seed) {
        TrainingLoop.seedEngine(seed);
        Model model = Model.newInstance(net.name(), Env.devices()[0]);
        model.setBlock(netbook.internal.djl.Compiler.compile(net));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(1)));
        return new TrainedModel(net, model, null, netbook.loss.Losses.crossEntropy(), true, Stamp.of(seed, Env.describe(Env.devices()), "untrained"));
    }

    /** Rebuilds the network from a checkpoint's spec and loads its parameters, for evaluation and prediction. */
    public static TrainedModel load(Path file) throws IOException {
        return Checkpoint.load(file);
    }

    static TrainedModel loaded(Net net, Model model, Stamp stamp, Table metrics, netbook.data.Tabular.Encoding encoding,
                               java.util.List<String> classNames) {
        TrainedModel t = new TrainedModel(net, model, null, netbook.loss.Losses.crossEntropy(), true, stamp);
        t.metrics = metrics;
        t.encoding = encoding;
        t.classNames = classNames;
        return t;
    }

    private boolean closed;

    boolean isClosed() { return closed; }

    @Override
    public void close() {
        closed = true;
        if (trainer != null) trainer.close();
        model.close();
    }

    @Override
    public String toString() {
        return "TrainedModel " + net + (metrics != null ? ", " + metrics.rowCount() + " epochs" : "") + " [" + stamp + "]";
    }
}
