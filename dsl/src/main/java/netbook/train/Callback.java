package netbook.train;

import java.util.Map;

/**
 * Something {@link Fit} asks after every epoch whether training goes on: {@link EarlyStopping},
 * {@link TimeBudget}, or your own. <pre>Fit.of(net, train).validation(test)
 *     .callbacks(EarlyStopping.on("val_loss").patience(2), TimeBudget.minutes(10)).run();</pre>
 */
public interface Callback {
    /** Whether training continues after an epoch. */
    enum Decision { CONTINUE, STOP }

    /**
     * After epoch {@code epoch}, with that epoch's row of the metrics table (train_loss,
     * train_accuracy, val_loss, val_accuracy, ...) and access to the model's parameters.
     */
    Decision afterEpoch(int epoch, Map<String, Object> metrics, Parameters parameters);

    /** Once, before the first epoch. */
    default void beforeTraining() {}

    /** Once training has ended, however it ended (not after a failure). */
    default void afterTraining(Parameters parameters) {}

    /** The model's parameters: copies to keep and put back (restore-best). */
    interface Parameters {
        /** A copy of every parameter, independent of further training. */
        Snapshot snapshot();

        /** Writes a snapshot's values back into the model. */
        void restore(Snapshot snapshot);
    }

    /** Copies of the parameters, in the model's order; released when training ends. */
    interface Snapshot {}
}
