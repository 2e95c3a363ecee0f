package netbook.recipes;

import java.util.Locale;
import netbook.data.ArrayDataset;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.train.Fit;
import netbook.train.OptimizerSpec;
import netbook.train.TrainedModel;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The runs of a controlled comparison: every variant trained once per seed on that seed's sample,
 * with the same budget, so two variants are compared seed by seed ({@link Seeds#pairedDifference}).
 * Also the claims table that reads them.
 */
final class PairedRuns {
    private final String recipe;
    private final StringColumn variant = StringColumn.create("variant");
    private final LongColumn seed = LongColumn.create("seed");
    private final LongColumn params = LongColumn.create("params");
    private final DoubleColumn trainError = DoubleColumn.create("train_error");
    private final DoubleColumn testError = DoubleColumn.create("test_error");
    private final DoubleColumn seconds = DoubleColumn.create("train_time_s");

    /** @param recipe the recipe's name, for progress lines */
    PairedRuns(String recipe) {
        this.recipe = recipe;
    }

    /**
     * Trains {@code net} on {@code train} with this seed and budget, then measures its error in
     * evaluation mode on the training sample and on {@code test}, and adds the row.
     */
    void train(String variantLabel, long seedValue, Net net, ArrayDataset train, ArrayDataset test,
               int epochs, int batch, OptimizerSpec optimizer) {
        long start = System.nanoTime();
        try (TrainedModel m = Fit.of(net, train).epochs(epochs).batchSize(batch).seed(seedValue).optimizer(optimizer).run()) {
            double wall = (System.nanoTime() - start) / 1e9;
            double trainErr = 1 - m.evaluate(train).doubleColumn("accuracy").get(0);
            double testErr = 1 - m.evaluate(test).doubleColumn("accuracy").get(0);
            variant.append(variantLabel);
            seed.append(seedValue);
            params.append(net.summary().params());
            trainError.append(trainErr);
            testError.append(testErr);
            seconds.append(wall);
            System.err.printf(Locale.ROOT, "netbook: %s: seed %d, %s: train error %.4f, test error %.4f (%.0f s)%n",
                    recipe, seedValue, variantLabel, trainErr, testErr, wall);
        }
    }

    /** One row per run: variant, seed, params, train_error, test_error, train_time_s. */
    Table table(String title) {
        return Table.create(title, variant, seed, params, trainError, testError, seconds);
    }

    /** The seeds of a runs table, in order. */
    static long[] seeds(Table runs) {
        return runs.longColumn("seed").unique().asList().stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** {@code column} of {@code variantLabel}'s run for each seed, in the order given. */
    static double[] values(Table runs, String variantLabel, long[] seeds, String column) {
        double[] v = new double[seeds.length];
        for (int k = 0; k < seeds.length; k++) {
            Table row = runs.where(runs.stringColumn("variant").isEqualTo(variantLabel).and(runs.longColumn("seed").isEqualTo(seeds[k])));
            if (row.rowCount() != 1) {
                throw new NetbookException("expected one run of " + variantLabel + " with seed " + seeds[k] + ", found " + row.rowCount());
            }
            v[k] = row.doubleColumn(column).get(0);
        }
        return v;
    }

    /** Rows of paired differences with their intervals, verdicts and what the paper found. */
    static final class Claims {
        private final StringColumn claim = StringColumn.create("claim");
        private final StringColumn measure = StringColumn.create("measure");
        private final DoubleColumn mean = DoubleColumn.create("mean_difference");
        private final DoubleColumn low = DoubleColumn.create("ci95_low");
        private final DoubleColumn high = DoubleColumn.create("ci95_high");
        private final StringColumn verdict = StringColumn.create("verdict");
        private final StringColumn paper = StringColumn.create("paper_says");

        void add(String what, String column, Seeds.Interval difference, String paperSays) {
            claim.append(what);
            measure.append(column);
            mean.append(difference.mean());
            low.append(difference.low());
            high.append(difference.high());
            verdict.append(difference.verdict());
            paper.append(paperSays);
        }

        Table table(String title) {
            return Table.create(title, claim, measure, mean, low, high, verdict, paper);
        }
    }
}
