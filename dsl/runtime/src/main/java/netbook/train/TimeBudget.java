package netbook.train;

import java.time.Duration;
import java.util.Map;
import netbook.dsl.NetbookException;

/** Stops after the first epoch that ends past a wall-clock budget, counted from the first epoch's start. */
public final class TimeBudget implements Callback {
    private final Duration budget;
    private long start;

    private TimeBudget(Duration budget) {
        if (budget.isNegative() || budget.isZero()) throw new NetbookException("TimeBudget: the budget must be positive, received " + budget);
        this.budget = budget;
    }

    public static TimeBudget of(Duration budget) { return new TimeBudget(budget); }
    public static TimeBudget minutes(long m) { return new TimeBudget(Duration.ofMinutes(m)); }

    @Override
    public void beforeTraining(Run run) { start = System.nanoTime(); }

    @Override
    public Decision afterEpoch(Run run, Map<String, Object> metrics) {
        return System.nanoTime() - start >= budget.toNanos() ? Decision.STOP : Decision.CONTINUE;
    }

    @Override
    public String toString() { return "TimeBudget(" + budget + ")"; }
}
