package netbook.train;

import ai.djl.Model;
import java.util.Map;
import netbook.dsl.NetbookException;

/**
 * Something the training loop asks after every step and every epoch whether training goes on:
 * {@link EarlyStopping}, {@link ReduceOnPlateau}, {@link TimeBudget}, {@link EvaluateEvery}, or
 * your own. Every method has a default, so a callback overrides only what it needs.
 * <pre>Fit.of(net, train).validation(test)
 *     .callbacks(EarlyStopping.on("val_loss").patience(2), TimeBudget.minutes(10)).run();</pre>
 */
public interface Callback {
    /** Whether training continues. */
    enum Decision { CONTINUE, STOP }

    /** Once, before the first step. */
    default void beforeTraining(Run run) {}

    /** After every update, with the step's values ("loss" and what the model reports). */
    default Decision afterStep(Run run, Map<String, Double> values) { return Decision.CONTINUE; }

    /**
     * After an epoch, with its row of the metrics table (train_loss, train_accuracy, val_loss,
     * val_accuracy, ...). The row is the table's: a value put here (say, an evaluation) is kept.
     */
    default Decision afterEpoch(Run run, Map<String, Object> metrics) { return Decision.CONTINUE; }

    /** Once training has ended normally or by a callback's STOP (not after a failure). */
    default void afterTraining(Run run) {}

    /** The run in progress, as a callback sees it. */
    interface Run {
        String name();

        /** 1-based epoch in progress (or just ended). */
        int epoch();

        /** 1-based step within the epoch. */
        int stepInEpoch();

        int stepsPerEpoch();

        /** Updates so far in the whole run. */
        long step();

        /** The DJL model being trained; null for models without one (BPR, contrastive pre-training). */
        Model model();

        /**
         * The model's main outputs on {@code data} as it stands now, in inference mode, one row per
         * example (what {@link TrainedModel#predict} gives after training): for an evaluation of your
         * own after an epoch, such as a nearest-neighbour accuracy on held-out examples.
         */
        default float[][] predict(netbook.data.Dataset data) {
            if (data == null) throw new NetbookException(name() + ": predict received no data");
            Model m = model();
            if (m == null) throw new NetbookException(name() + ": this run trains no network of its own, so it has nothing to predict with");
            try {
                return TrainedModel.predict(m, data);
            } catch (ai.djl.engine.EngineException e) {
                // The usual cause is examples of another shape than the network takes; say which data.
                throw new NetbookException(name() + ": predicting " + data.name() + " (examples of " + data.shape() + ") failed: "
                        + e.getMessage().lines().findFirst().orElse(""), e);
            }
        }

        /** The learning rate of the next update. */
        double learningRate();

        /** Multiplies every later learning rate by {@code factor}. */
        void scaleLearningRate(double factor);

        /** A copy of every parameter (and buffer), independent of further training. */
        Snapshot snapshot();

        /** Writes a snapshot's values back into the model. */
        void restore(Snapshot snapshot);
    }

    /** Copies of the parameters, in the model's order; released when training ends. */
    interface Snapshot {}
}
