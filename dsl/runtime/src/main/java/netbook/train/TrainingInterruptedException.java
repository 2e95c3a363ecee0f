package netbook.train;

import netbook.dsl.NetbookException;

/**
 * Training stopped because its thread was interrupted (a notebook's interrupt button, a shutdown).
 * {@link Fit} checks between steps, so the step in progress finishes first; by the time this is
 * thrown the run's native memory is released. The thread's interrupt flag stays set.
 */
public final class TrainingInterruptedException extends NetbookException {
    TrainingInterruptedException(String message) {
        super(message);
    }
}
