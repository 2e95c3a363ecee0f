package netbook.recipes;

import static netbook.dsl.Layers.flatten;
import static netbook.dsl.Layers.linear;
import static netbook.dsl.Layers.relu;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.loss.L1Hinge;
import netbook.loss.LogitMargin;
import netbook.loss.MarginLoss;
import netbook.loss.MarginLosses;
import netbook.loss.ZeroOne;
import netbook.render.LinePlot;
import netbook.render.SvgGrid;
import netbook.env.Env;
import netbook.env.Stamp;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * The eleven margin losses compared: their shapes psi(a) and psi'(a), then a
 * linear classifier and a small MLP trained with each loss on an easy and a hard Fashion-MNIST
 * pair. ZeroOne is the evaluation metric (accuracy = 1 - mean ZeroOne(y f)), never trained on.
 * Writes {@code margin-losses.svg}, and CSV + HTML (+ stamp) of the results, test-accuracy curves,
 * traits and environment tables.
 * <pre>./netbook recipe margin-losses [--full] [--out DIR]</pre>
 */
public final class MarginLossesRecipe implements Recipe {
    /** A two-class task: {@code negative} is read as y = -1, {@code positive} as y = +1. */
    record Task(String name, int negative, int positive) {}

    static final List<Task> TASKS = List.of(
            new Task("Trouser vs Bag", 1, 8),             // easy: shapes differ
            new Task("Shirt vs T-shirt/top", 6, 0));      // hard: the same silhouette

    /** Training settings; every model and loss uses the same ones and the same initial weights. */
    record Config(
            int trainPerTask,     // training images per task (sampled with the seed); the test pair is whole
            int epochs,
            int firstEpochChecks, // test-set scorings in epoch 1 (then one per epoch), for the epochs to 95%
            int batchSize,
            double lr,            // Adam's learning rate
            int seeds) {          // runs per loss, seeds from the given one upwards: a new sample and new initial weights each
        static final Config QUICK = new Config(2000, 3, 10, 64, 1e-3, 2);               // about a minute on 2 cores
        // all 12,000 per task; 5 seeds, since one run takes seconds (3-8 s on 2 cores) and 3 seeds gave
        // intervals 2 degrees of freedom wide
        static final Config FULL = new Config(Integer.MAX_VALUE, 20, 10, 64, 1e-3, 5);
    }

    /** f(x) = w . x + b. */
    static Net linearModel() {
        return Net.input(1, 28, 28).named("linear").add(flatten(), linear(1));
    }

    /** One hidden layer of 64 ReLU units. */
    static Net mlp() {
        return Net.input(1, 28, 28).named("mlp").add(flatten(), linear(64), relu(), linear(1));
    }

    @Override
    public String name() {
        return "margin-losses";
    }

    @Override
    public String description() {
        return "Eleven margin losses: shapes, traits, and linear/MLP classifiers on Fashion-MNIST pairs";
    }

    @Override
    public List<Table> run(Settings settings, Path out) throws IOException {
        Config config = settings.full() ? Config.FULL : Config.QUICK;
        Files.createDirectories(out);
        ResultFiles.text(out, "margin-losses.svg", shapes(MarginLosses.all()));

        FashionMnist fashion = settings.dataDir() == null ? FashionMnist.standard() : FashionMnist.at(settings.dataDir());
        ArrayDataset train = fashion.trainSet();
        ArrayDataset test = fashion.testSet();
        Results results = new Results();
        for (int k = 0; k < config.seeds; k++) {
            long seed = settings.seed() + k;
            for (Task task : TASKS) {
                // Within a seed every loss gets the same sample, initial weights and batches: the losses are paired.
                ArrayDataset taskTrain = train.where(task.negative, task.positive).sample(config.trainPerTask, seed);
                ArrayDataset taskTest = test.where(task.negative, task.positive);
                for (Net net : List.of(linearModel(), mlp())) {
                    for (MarginLoss loss : MarginLosses.all()) {
                        if (loss instanceof ZeroOne) {
                            continue;   // no useful gradient: it is the metric
                        }
                        BinaryTraining.Result r = BinaryTraining.run(net, loss, taskTrain, taskTest, config.epochs,
                                config.firstEpochChecks, config.batchSize, config.lr, seed);
                        results.add(task, net, loss, seed, BinaryTraining.signs(taskTest), r);
                    }
                }
            }
        }
        Table paired = paired(results.summary);
        Table traits = MarginLosses.traits();
        Table environment = Env.table();
        Stamp stamp = Stamp.of(settings.seed(), Engine.getInstance().defaultDevice().toString(), train.sourceHash());
        ResultFiles.table(out, "margin-losses-results", results.summary, stamp);
        ResultFiles.table(out, "margin-losses-curves", results.curves, stamp);
        ResultFiles.table(out, "margin-loss-traits", traits, stamp);
        ResultFiles.table(out, "margin-loss-trait-corrections", MarginLosses.traitCorrections(), stamp);
        ResultFiles.table(out, "margin-losses-environment", environment, stamp);
        ResultFiles.table(out, "margin-losses-paired", paired, stamp);
        return List.of(results.summary, results.curves, traits, environment, paired);
    }

    /**
     * For each task and model: every loss's mean test accuracy over the seeds with its 95% interval,
     * and its paired difference from the loss with the best mean (same seeds, so same samples and
     * initial weights). A loss is named worse than the best only when that interval lies below 0.
     */
    static Table paired(Table summary) {
        StringColumn task = StringColumn.create("task");
        StringColumn model = StringColumn.create("model");
        StringColumn loss = StringColumn.create("loss");
        IntColumn seeds = IntColumn.create("seeds");
        DoubleColumn mean = DoubleColumn.create("mean_test_accuracy");
        DoubleColumn half = DoubleColumn.create("ci95_half_width");
        DoubleColumn diff = DoubleColumn.create("difference_from_best");
        DoubleColumn low = DoubleColumn.create("difference_ci95_low");
        DoubleColumn high = DoubleColumn.create("difference_ci95_high");
        StringColumn verdict = StringColumn.create("verdict");
        for (String t : summary.stringColumn("task").unique().asList().stream().sorted().toList()) {
            for (String m : summary.stringColumn("model").unique().asList().stream().sorted().toList()) {
                Table rows = summary.where(summary.stringColumn("task").isEqualTo(t).and(summary.stringColumn("model").isEqualTo(m)));
                long[] seedValues = rows.longColumn("seed").unique().asList().stream().mapToLong(Long::longValue).sorted().toArray();
                java.util.Map<String, double[]> byLoss = new java.util.LinkedHashMap<>();
                for (String l : rows.stringColumn("loss").unique().asList()) {
                    double[] v = new double[seedValues.length];
                    for (int k = 0; k < seedValues.length; k++) {
                        Table one = rows.where(rows.stringColumn("loss").isEqualTo(l).and(rows.longColumn("seed").isEqualTo(seedValues[k])));
                        v[k] = one.doubleColumn("test_accuracy").get(0);
                    }
                    byLoss.put(l, v);
                }
                String best = byLoss.entrySet().stream()
                        .max(java.util.Comparator.comparingDouble(e -> java.util.Arrays.stream(e.getValue()).average().orElseThrow()))
                        .orElseThrow().getKey();
                List<String> order = byLoss.keySet().stream().sorted(java.util.Comparator.comparingDouble(
                        (String l) -> -java.util.Arrays.stream(byLoss.get(l)).average().orElseThrow())).toList();
                for (String l : order) {
                    Seeds.Interval acc = Seeds.interval(byLoss.get(l));
                    task.append(t);
                    model.append(m);
                    loss.append(l);
                    seeds.append(seedValues.length);
                    mean.append(acc.mean());
                    half.append(acc.halfWidth());
                    if (l.equals(best)) {
                        diff.append(0);
                        low.appendMissing();
                        high.appendMissing();
                        verdict.append("best mean");
                    } else {
                        Seeds.Interval d = Seeds.pairedDifference(byLoss.get(l), byLoss.get(best));
                        diff.append(d.mean());
                        low.append(d.low());
                        high.append(d.high());
                        verdict.append(d.high() < 0 ? "worse than the best" : "within noise of the best");
                    }
                }
            }
        }
        for (DoubleColumn c : List.of(mean, half, diff, low, high)) c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(4));
        return Table.create("margin losses paired across seeds: test accuracy and difference from the best loss",
                task, model, loss, seeds, mean, half, diff, low, high, verdict);
    }

    /** The summary table (one row per task, model and loss) and the per-epoch test accuracy. */
    static final class Results {
        final StringColumn loss = StringColumn.create("loss");
        final StringColumn task = StringColumn.create("task");
        final StringColumn model = StringColumn.create("model");
        final tech.tablesaw.api.LongColumn seed = tech.tablesaw.api.LongColumn.create("seed");
        final DoubleColumn accuracy = DoubleColumn.create("test_accuracy");
        final DoubleColumn hinge = DoubleColumn.create("test_hinge_risk");
        final DoubleColumn logistic = DoubleColumn.create("test_logistic_risk");
        final DoubleColumn epochsTo95 = DoubleColumn.create("epochs_to_95pct_final_accuracy");
        final DoubleColumn seconds = DoubleColumn.create("train_s");
        final Table summary = Table.create("margin losses on Fashion-MNIST pairs",
                loss, task, model, seed, accuracy, hinge, logistic, epochsTo95, seconds);
        final Table curves = Table.create("test accuracy during training", StringColumn.create("loss"),
                StringColumn.create("task"), StringColumn.create("model"), tech.tablesaw.api.LongColumn.create("seed"), DoubleColumn.create("epoch"),
                DoubleColumn.create("test_accuracy"));

        Results() {
            for (DoubleColumn c : List.of(accuracy, hinge, logistic)) {   // printed and HTML: 4 decimals
                c.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(4));
            }
            seconds.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(2));
            epochsTo95.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(2));
        }

        void add(Task t, Net net, MarginLoss l, long seedValue, double[] y, BinaryTraining.Result r) {
            double[] curve = new double[r.scores().length];
            for (int i = 0; i < curve.length; i++) {
                curve[i] = accuracy(y, r.scores()[i]);
                curves.stringColumn("loss").append(l.name());
                curves.stringColumn("task").append(t.name);
                curves.stringColumn("model").append(net.name());
                curves.longColumn("seed").append(seedValue);
                curves.doubleColumn("epoch").append(r.epochs()[i]);
                curves.doubleColumn("test_accuracy").append(curve[i]);
            }
            double last = curve[curve.length - 1];
            int reached = 0;
            while (curve[reached] < 0.95 * last) {
                reached++;
            }
            loss.append(l.name());
            task.append(t.name);
            model.append(net.name());
            seed.append(seedValue);
            accuracy.append(last);
            hinge.append(risk(new L1Hinge(), y, r.finalScores()));
            logistic.append(risk(new LogitMargin(), y, r.finalScores()));
            epochsTo95.append(r.epochs()[reached]);
            seconds.append(r.trainSeconds());
            System.err.printf(Locale.ROOT, "margin-losses: seed %d %-20s %-6s %-26s accuracy %.4f  %.1fs%n",
                    seedValue, t.name, net.name(), l.name(), last, r.trainSeconds());
        }
    }

    /** The share of examples where ZeroOne(y * f) is 0, that is y * f &gt;= 0. */
    static double accuracy(double[] y, float[] f) {
        ZeroOne zeroOne = new ZeroOne();
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            right += zeroOne.psi(y[i] * f[i]) == 0 ? 1 : 0;
        }
        return (double) right / y.length;
    }

    /** Mean psi(y * f) over the examples. */
    static double risk(MarginLoss loss, double[] y, float[] f) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += loss.psi(y[i] * f[i]);
        }
        return sum / y.length;
    }

    /** psi and psi' over [-2, 2], the hinge-like losses and the rest in separate panels (6 colours each). */
    static String shapes(List<MarginLoss> losses) {
        List<MarginLoss> hinges = new ArrayList<>();
        List<MarginLoss> others = new ArrayList<>();
        for (MarginLoss l : losses) {
            (l.name().contains("Hinge") || l.name().startsWith("Perceptron") || l.name().startsWith("ModifiedHuber")
                    || l.name().startsWith("DWD") ? hinges : others).add(l);
        }
        return SvgGrid.of(2, 480, 300, List.of(
                panel("psi(a): hinge-like losses", "psi(a)", hinges, false),
                panel("psi(a): the others", "psi(a)", others, false),
                panel("psi'(a): hinge-like losses", "psi'(a)", hinges, true),
                panel("psi'(a): the others", "psi'(a)", others, true)));
    }

    private static String panel(String title, String yLabel, List<MarginLoss> losses, boolean derivative) {
        double[] a = new double[401];
        for (int i = 0; i < a.length; i++) {
            a[i] = -2 + i * 0.01;
        }
        LinePlot plot = LinePlot.titled(title).xLabel("agreement a = y f(x)").yLabel(yLabel).size(480, 300);
        for (MarginLoss l : losses) {
            DoubleUnaryOperator psi = derivative ? l::deriv : l::psi;
            double[] v = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                v[i] = psi.applyAsDouble(a[i]);
            }
            plot = plot.series(legend(l), a, v);
        }
        return plot.toSvg();
    }

    /** The loss's name, short enough for LinePlot's legend (about 13 characters). */
    static String legend(MarginLoss l) {
        return l.name().replace("SmoothedL1Hinge(gamma=", "Smooth \u03b3=").replace("DWDMargin(q=", "DWD q=")
                .replace(")", "");
    }
}
