package netbook.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import netbook.data.Augment;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import netbook.train.Fit;
import netbook.train.OptimizerSpec;
import netbook.train.Optimizers;
import netbook.train.Progress;
import netbook.train.Schedule;
import netbook.train.TrainedModel;
import tech.tablesaw.api.Table;

/**
 * One trial of a sweep: a network (as spec JSON), the data source and the training settings, all
 * data, so it travels to an executor as it is. {@link #run} trains it with the training engine and
 * returns one row; a run that diverges or fails returns a row that says so instead of stopping the sweep.
 */
public record Trial(int index, Sweep.Model model, DataSource data, Sweep.Settings settings) implements Serializable {

    /** What one trial measured. {@code model} holds the trained model's file (null unless the status is ok). */
    public record Result(Trial trial, String status, String message, long params, double trainLoss, double trainAccuracy,
                         double valLoss, double valAccuracy, double seconds, int threads, String executor, byte[] model)
            implements Serializable {
        public boolean ok() { return status.equals("ok"); }

        /** The metric by name (a missing value is NaN). */
        public double metric(String name) {
            return switch (name) {
                case "val_accuracy" -> valAccuracy;
                case "val_loss" -> valLoss;
                case "train_loss" -> trainLoss;
                case "train_accuracy" -> trainAccuracy;
                default -> throw new NetbookException("no metric " + name);
            };
        }
    }

    /**
     * Trains on this thread with {@code threads} PyTorch threads (a task's fair share of its
     * executor's cores; the same count gives the same losses, bit for bit).
     */
    public Result run(int threads, String executor) {
        long start = System.nanoTime();
        Net net;
        try {
            net = SpecJson.read(model.specJson());
        } catch (RuntimeException e) {
            return failed("failed", "the spec does not build: " + e.getMessage(), threads, executor, start);
        }
        Threads.set(threads);
        try {
            DataSource.Split split = data.load(net);
            Fit fit = Fit.of(net, split.train()).validation(split.test()).epochs(settings.epochs()).batchSize(settings.batch())
                    .seed(settings.seed()).optimizer(optimizer()).progress(Progress.none());
            Augment.fromSettings(settings.augment(), settings.erase()).ifPresent(fit::augment);
            try (TrainedModel m = fit.run()) {
                Table t = m.metrics();
                int last = t.rowCount() - 1;
                byte[] bytes = save(m);
                return new Result(this, "ok", "", net.params(), value(t, "train_loss", last), value(t, "train_accuracy", last),
                        value(t, "val_loss", last), value(t, "val_accuracy", last), seconds(start), threads, executor, bytes);
            }
        } catch (NetbookException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            return failed(msg.contains("training diverged") ? "diverged" : "failed", msg, threads, executor, start);
        } catch (RuntimeException | IOException e) {
            return failed("failed", e.toString(), threads, executor, start);
        }
    }

    private Result failed(String status, String message, int threads, String executor, long start) {
        return new Result(this, status, message, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, seconds(start), threads, executor, null);
    }

    private OptimizerSpec optimizer() {
        OptimizerSpec o = settings.optimizer().equals("sgd") ? Optimizers.sgd(settings.lr()).momentum(settings.momentum()) : Optimizers.adam(settings.lr());
        if (settings.weightDecay() > 0) o = o.weightDecay(settings.weightDecay());
        return o.schedule(switch (settings.schedule()) {
            case "constant" -> Schedule.constant();
            case "linear" -> Schedule.linear();
            default -> Schedule.cosine();
        });
    }

    private static byte[] save(TrainedModel m) throws IOException {
        Path tmp = Files.createTempFile("netbook-trial-", ".netbook");
        try {
            m.save(tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static double value(Table t, String column, int row) {
        return t.containsColumn(column) && row >= 0 && !t.doubleColumn(column).isMissing(row) ? t.doubleColumn(column).get(row) : Double.NaN;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "trial %d: %s, %s", index, model.name(), settings);
    }
}
