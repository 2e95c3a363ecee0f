package netbook.recipes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.train.Env;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Schedule;
import netbook.train.Stamp;
import netbook.train.TrainedModel;
import netbook.zoo.GoogLeNet;
import netbook.zoo.Vgg;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Two design choices the classic papers rest on, each re-run as a controlled comparison: every
 * variant trains on the same seeded sample with the same budget and optimiser, and each variant is
 * compared with the first (the baseline) in pairs, seed by seed, with a 95% t interval.
 * <ul>
 *   <li>{@code googlenet-aux}: GoogLeNet (small) with its two auxiliary heads (loss weight 0.3)
 *       against without them;</li>
 *   <li>{@code vgg-depth}: VGG with batch norm (small) at 11, 16 and 19 layers.</li>
 * </ul>
 * <pre>./netbook recipe ablations            ./netbook recipe ablations --full</pre>
 * Fashion-MNIST 28x28 stands in for ImageNet, the networks are the zoo's small variants (a quarter
 * of the widths, a compact stem), the budget is a few epochs of Adam with cosine decay.
 */
public final class AblationsRecipe implements Recipe {

    /** A network to train, with its label in the tables. */
    record Variant(String label, Supplier<Net> build) {}

    /** Variants compared with the first; {@code paperSays} is the paper's finding, in a few words. */
    record Experiment(String name, List<Variant> variants, String paperSays) {}

    static final List<Experiment> EXPERIMENTS = List.of(
            new Experiment("googlenet-aux", List.of(
                    new Variant("no aux heads", () -> GoogLeNet.of().small().classes(10).build()),
                    new Variant("aux heads", () -> GoogLeNet.of().small().aux().classes(10).build())),
                    "the heads help training and regularise; a small gain at most"),
            new Experiment("vgg-depth", List.of(
                    new Variant("vgg11-bn", () -> Vgg.small(11, true, 10)),
                    new Variant("vgg16-bn", () -> Vgg.small(16, true, 10)),
                    new Variant("vgg19-bn", () -> Vgg.small(19, true, 10))),
                    "error falls from 11 to 16 layers and saturates at 19"));

    /**
     * @param trainExamples training images (a seeded sample of the 60,000)
     * @param testExamples test images (a seeded sample of the 10,000)
     * @param epochs passes over the sample
     * @param batch images per step
     * @param lr Adam's rate, decayed by a cosine
     * @param seeds seeds per experiment, from the given one upwards
     */
    record Config(int trainExamples, int testExamples, int epochs, int batch, double lr, int seeds) {
        /** The RESULTS.md run: about a minute a network on two cores. */
        static final Config FULL = new Config(
                6000, 2000,       // training and test images
                5, 128, 3e-3,     // epochs, batch, Adam's rate
                3);               // seeds
        /** For tests: a few seconds a network. */
        static final Config QUICK = FULL.trainExamples(256).testExamples(256).epochs(1).batch(64).seeds(2);

        Config trainExamples(int n) { return new Config(n, testExamples, epochs, batch, lr, seeds); }
        Config testExamples(int n) { return new Config(trainExamples, n, epochs, batch, lr, seeds); }
        Config epochs(int n) { return new Config(trainExamples, testExamples, n, batch, lr, seeds); }
        Config batch(int n) { return new Config(trainExamples, testExamples, epochs, n, lr, seeds); }
        Config seeds(int n) { return new Config(trainExamples, testExamples, epochs, batch, lr, n); }

        @Override public String toString() {
            return String.format(Locale.ROOT, "%d training and %d test images, %d epochs, batch %d, Adam %.3g with cosine decay, %d seeds",
                    trainExamples, testExamples, epochs, batch, lr, seeds);
        }
    }

    @Override public String name() { return "ablations"; }

    @Override public String description() {
        return "GoogLeNet with vs without auxiliary heads, VGG at 11/16/19 layers: paired across seeds";
    }

    @Override
    public List<Table> run(Settings s, Path out) throws Exception {
        return run(s, out, s.full() ? Config.FULL : Config.QUICK, EXPERIMENTS);
    }

    List<Table> run(Settings s, Path out, Config c, List<Experiment> experiments) throws Exception {
        System.err.println("netbook: ablations: " + c);
        FashionMnist source = s.dataDir() == null ? FashionMnist.standard() : FashionMnist.at(s.dataDir());
        StringColumn experiment = StringColumn.create("experiment");
        StringColumn variant = StringColumn.create("variant");
        LongColumn seedCol = LongColumn.create("seed");
        LongColumn params = LongColumn.create("params");
        DoubleColumn trainError = DoubleColumn.create("train_error");
        DoubleColumn testError = DoubleColumn.create("test_error");
        DoubleColumn secs = DoubleColumn.create("train_time_s");
        for (int k = 0; k < c.seeds(); k++) {
            long seed = s.seed() + k;
            ArrayDataset train = source.trainSet().sample(c.trainExamples(), seed);
            ArrayDataset test = source.testSet().sample(c.testExamples(), seed + 1000);
            for (Experiment e : experiments) {
                for (Variant v : e.variants()) {
                    Net net = v.build().get();
                    long start = System.nanoTime();
                    try (TrainedModel m = Fit.of(net, train).epochs(c.epochs()).batchSize(c.batch()).seed(seed)
                            .optimizer(Optimizers.adam(c.lr()).schedule(Schedule.cosine())).run()) {
                        double wall = (System.nanoTime() - start) / 1e9;
                        double trainErr = 1 - m.evaluate(train).doubleColumn("accuracy").get(0);
                        double testErr = 1 - m.evaluate(test).doubleColumn("accuracy").get(0);
                        experiment.append(e.name());
                        variant.append(v.label());
                        seedCol.append(seed);
                        params.append(net.summary().params());
                        trainError.append(trainErr);
                        testError.append(testErr);
                        secs.append(wall);
                        System.err.printf(Locale.ROOT, "netbook: ablations: seed %d, %s, %s: train error %.4f, test error %.4f (%.0f s)%n",
                                seed, e.name(), v.label(), trainErr, testErr, wall);
                    }
                }
            }
        }
        Table runs = Table.create("ablations: every run (" + c + ")", experiment, variant, seedCol, params, trainError, testError, secs);
        Table claims = claims(runs, experiments);
        Stamp stamp = Stamp.of(s.seed(), Env.describe(Env.devices()), source.trainSet().sourceHash());
        ResultFiles.table(out, "ablations-runs", runs, stamp);
        ResultFiles.table(out, "ablations-claims", claims, stamp);
        List<Table> tables = new ArrayList<>();
        tables.add(claims);
        tables.add(runs);
        return tables;
    }

    /** Each variant minus its experiment's baseline, paired by seed, for test and train error. */
    static Table claims(Table runs, List<Experiment> experiments) {
        StringColumn experiment = StringColumn.create("experiment");
        StringColumn comparison = StringColumn.create("comparison");
        StringColumn measure = StringColumn.create("measure");
        DoubleColumn mean = DoubleColumn.create("mean_difference");
        DoubleColumn low = DoubleColumn.create("ci95_low");
        DoubleColumn high = DoubleColumn.create("ci95_high");
        StringColumn verdict = StringColumn.create("verdict");
        StringColumn paper = StringColumn.create("paper_says");
        for (Experiment e : experiments) {
            Table rows = runs.where(runs.stringColumn("experiment").isEqualTo(e.name()));
            long[] seeds = rows.longColumn("seed").unique().asList().stream().mapToLong(Long::longValue).sorted().toArray();
            String base = e.variants().get(0).label();
            for (Variant v : e.variants().subList(1, e.variants().size())) {
                for (String what : new String[] {"test_error", "train_error"}) {
                    double[] a = new double[seeds.length];
                    double[] b = new double[seeds.length];
                    for (int k = 0; k < seeds.length; k++) {
                        a[k] = value(rows, v.label(), seeds[k], what);
                        b[k] = value(rows, base, seeds[k], what);
                    }
                    Seeds.Interval d = Seeds.pairedDifference(a, b);
                    experiment.append(e.name());
                    comparison.append(v.label() + " minus " + base);
                    measure.append(what);
                    mean.append(d.mean());
                    low.append(d.low());
                    high.append(d.high());
                    verdict.append(d.verdict());
                    paper.append(e.paperSays());
                }
            }
        }
        return Table.create("ablations: each variant minus the baseline, paired by seed (95% t interval)",
                experiment, comparison, measure, mean, low, high, verdict, paper);
    }

    private static double value(Table rows, String variant, long seed, String column) {
        Table row = rows.where(rows.stringColumn("variant").isEqualTo(variant).and(rows.longColumn("seed").isEqualTo(seed)));
        if (row.rowCount() != 1) {
            throw new netbook.dsl.NetbookException("ablations: expected one run of " + variant + " with seed " + seed + ", found " + row.rowCount());
        }
        return row.doubleColumn(column).get(0);
    }
}
