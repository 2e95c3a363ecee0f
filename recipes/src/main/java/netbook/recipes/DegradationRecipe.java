package netbook.recipes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.dsl.Net;
import netbook.train.Env;
import netbook.train.Fit;
import netbook.train.Optimizers;
import netbook.train.Schedule;
import netbook.train.Stamp;
import netbook.train.TrainedModel;
import netbook.zoo.CifarResNet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * ResNet's degradation experiment (He et al., 2015, section 4.2): plain and residual networks of
 * the CIFAR design at a shallow and a deep depth, trained alike; the paper's claim is that the
 * deeper plain network ends with a higher training error than the shallower one, and the deeper
 * residual network does not. Each seed trains all four networks on the same data, so depth is
 * compared in pairs (deep minus shallow, same seed), and the verdict reads the paired interval.
 * <pre>./netbook recipe degradation            ./netbook recipe degradation --full</pre>
 * Fashion-MNIST stands in for CIFAR-10, the widths are a quarter of the paper's by default, there is
 * no augmentation, and the shortcut where the width doubles is a 1x1 projection (option B).
 */
public final class DegradationRecipe implements Recipe {

    /**
     * @param trainExamples training images (a seeded sample of the 60,000)
     * @param testExamples test images
     * @param epochs passes over the training sample
     * @param batch images per step
     * @param lr SGD's rate (momentum 0.9, weight decay 1e-4 as in the paper; cosine decay instead of its two steps)
     * @param width the first stage's width (the paper's is 16)
     * @param shallow the shallow depth (20 in the paper's Figure 6)
     * @param deep the deep depth (56)
     * @param seeds how many seeds, from the given one upwards
     */
    record Config(int trainExamples, int testExamples, int epochs, int batch, double lr, int width, int shallow, int deep, int seeds) {
        /** The RESULTS.md run: about 15 minutes on two cores. */
        static final Config FULL = new Config(
                6000, 2000,     // training and test images
                6, 128, 0.1,    // epochs, batch, SGD rate
                8,              // widths 8/16/32
                20, 56,         // the paper's depths
                3);             // seeds
        /** For tests and a first look: a few seconds a network. */
        static final Config QUICK = FULL.trainExamples(256).testExamples(256).epochs(1).batch(64).lr(0.05).width(4);

        Config trainExamples(int n) { return new Config(n, testExamples, epochs, batch, lr, width, shallow, deep, seeds); }
        Config testExamples(int n) { return new Config(trainExamples, n, epochs, batch, lr, width, shallow, deep, seeds); }
        Config epochs(int n) { return new Config(trainExamples, testExamples, n, batch, lr, width, shallow, deep, seeds); }
        Config batch(int n) { return new Config(trainExamples, testExamples, epochs, n, lr, width, shallow, deep, seeds); }
        Config lr(double r) { return new Config(trainExamples, testExamples, epochs, batch, r, width, shallow, deep, seeds); }
        Config width(int w) { return new Config(trainExamples, testExamples, epochs, batch, lr, w, shallow, deep, seeds); }
        Config seeds(int n) { return new Config(trainExamples, testExamples, epochs, batch, lr, width, shallow, deep, n); }

        @Override public String toString() {
            return String.format(Locale.ROOT, "%d training and %d test images, %d epochs, batch %d, SGD %.3g (momentum 0.9, decay 1e-4, cosine), "
                    + "widths %d/%d/%d, depths %d and %d, %d seeds", trainExamples, testExamples, epochs, batch, lr, width, 2 * width, 4 * width,
                    shallow, deep, seeds);
        }
    }

    @Override public String name() { return "degradation"; }

    @Override public String description() {
        return "ResNet's degradation experiment: plain vs residual networks at depths 20 and 56, paired across seeds";
    }

    @Override
    public List<Table> run(Settings s, Path out) throws Exception {
        return run(s, out, s.full() ? Config.FULL : Config.QUICK);
    }

    List<Table> run(Settings s, Path out, Config c) throws Exception {
        System.err.println("netbook: degradation: " + c);
        FashionMnist source = s.dataDir() == null ? FashionMnist.standard() : FashionMnist.at(s.dataDir());
        StringColumn kind = StringColumn.create("network");
        IntColumn depth = IntColumn.create("depth");
        LongColumn seedCol = LongColumn.create("seed");
        LongColumn params = LongColumn.create("params");
        DoubleColumn trainError = DoubleColumn.create("train_error");
        DoubleColumn testError = DoubleColumn.create("test_error");
        DoubleColumn secs = DoubleColumn.create("train_time_s");
        String[] kinds = {"plain", "residual"};
        int[] depths = {c.shallow(), c.deep()};
        for (int k = 0; k < c.seeds(); k++) {
            long seed = s.seed() + k;
            ArrayDataset train = source.trainSet().sample(c.trainExamples(), seed);
            ArrayDataset test = source.testSet().sample(c.testExamples(), seed + 1000);
            for (int d = 0; d < 2; d++) {
                for (int r = 0; r < 2; r++) {
                    CifarResNet.Config cfg = CifarResNet.of(depths[d]).input(1, 28, 28).classes(10).width(c.width());
                    Net net = (r == 0 ? cfg.plain() : cfg).build();
                    long start = System.nanoTime();
                    try (TrainedModel m = Fit.of(net, train).epochs(c.epochs()).batchSize(c.batch()).seed(seed)
                            .optimizer(Optimizers.sgd(c.lr()).momentum(0.9).weightDecay(1e-4).schedule(Schedule.cosine())).run()) {
                        double wall = (System.nanoTime() - start) / 1e9;
                        double trainErr = 1 - m.evaluate(train).doubleColumn("accuracy").get(0);
                        double testErr = 1 - m.evaluate(test).doubleColumn("accuracy").get(0);
                        kind.append(kinds[r]);
                        depth.append(depths[d]);
                        seedCol.append(seed);
                        params.append(net.summary().params());
                        trainError.append(trainErr);
                        testError.append(testErr);
                        secs.append(wall);
                        System.err.printf(Locale.ROOT, "netbook: degradation: seed %d, %s-%d: train error %.4f, test error %.4f (%.0f s)%n",
                                seed, kinds[r], depths[d], trainErr, testErr, wall);
                    }
                }
            }
        }
        Table runs = Table.create("degradation: every run (" + c + ")", kind, depth, seedCol, params, trainError, testError, secs);

        Table claims = claims(runs, c.shallow(), c.deep());
        Stamp stamp = Stamp.of(s.seed(), Env.describe(Env.devices()), source.trainSet().sourceHash());
        ResultFiles.table(out, "degradation-runs", runs, stamp);
        ResultFiles.table(out, "degradation-claims", claims, stamp);
        List<Table> tables = new ArrayList<>();
        tables.add(claims);
        tables.add(runs);
        return tables;
    }

    /**
     * The claims, read from the runs table (columns network, depth, seed, train_error, test_error):
     * for each network, deep minus shallow paired by seed; then the depth penalty of the plain
     * network minus that of the residual one (the part of the degradation the shortcuts remove).
     */
    static Table claims(Table runs, int shallow, int deep) {
        StringColumn claim = StringColumn.create("claim");
        StringColumn measure = StringColumn.create("measure");
        DoubleColumn mean = DoubleColumn.create("mean_difference");
        DoubleColumn low = DoubleColumn.create("ci95_low");
        DoubleColumn high = DoubleColumn.create("ci95_high");
        StringColumn verdict = StringColumn.create("verdict");
        StringColumn paper = StringColumn.create("paper_says");
        long[] seeds = runs.longColumn("seed").unique().asList().stream().mapToLong(Long::longValue).sorted().toArray();
        for (String what : new String[] {"train_error", "test_error"}) {
            double[][] penalty = new double[2][];
            String[] kinds = {"plain", "residual"};
            for (int r = 0; r < 2; r++) {
                double[] d = new double[seeds.length];
                double[] sh = new double[seeds.length];
                for (int k = 0; k < seeds.length; k++) {
                    d[k] = value(runs, kinds[r], deep, seeds[k], what);
                    sh[k] = value(runs, kinds[r], shallow, seeds[k], what);
                }
                Seeds.Interval diff = Seeds.pairedDifference(d, sh);
                penalty[r] = new double[seeds.length];
                for (int k = 0; k < seeds.length; k++) penalty[r][k] = d[k] - sh[k];
                add(claim, measure, mean, low, high, verdict, paper, kinds[r] + ": depth " + deep + " minus depth " + shallow, what, diff,
                        r == 0 ? "higher (the deeper plain network trains worse)" : "lower (the deeper residual network trains better)");
            }
            add(claim, measure, mean, low, high, verdict, paper, "depth penalty: plain minus residual", what,
                    Seeds.pairedDifference(penalty[0], penalty[1]), "higher (shortcuts remove the degradation)");
        }
        return Table.create("degradation: deep minus shallow, paired by seed (95% t interval over " + seeds.length + " seeds)",
                claim, measure, mean, low, high, verdict, paper);
    }

    private static double value(Table runs, String network, int depth, long seed, String column) {
        Table row = runs.where(runs.stringColumn("network").isEqualTo(network)
                .and(runs.intColumn("depth").isEqualTo(depth)).and(runs.longColumn("seed").isEqualTo(seed)));
        if (row.rowCount() != 1) {
            throw new netbook.dsl.NetbookException("degradation: expected one run of " + network + "-" + depth + " with seed " + seed + ", found " + row.rowCount());
        }
        return row.doubleColumn(column).get(0);
    }

    private static void add(StringColumn claim, StringColumn measure, DoubleColumn mean, DoubleColumn low, DoubleColumn high,
                            StringColumn verdict, StringColumn paper, String what, String column, Seeds.Interval diff, String says) {
        claim.append(what);
        measure.append(column);
        mean.append(diff.mean());
        low.append(diff.low());
        high.append(diff.high());
        verdict.append(diff.verdict());
        paper.append(says);
    }
}
