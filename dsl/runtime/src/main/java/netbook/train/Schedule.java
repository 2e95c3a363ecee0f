package netbook.train;

import netbook.dsl.NetbookException;

/**
 * A learning-rate schedule in epochs, turned into per-step values once the steps per epoch are
 * known. Optionally with linear warm-up.
 * <pre>Schedule.cosine().warmup(1)      Schedule.step(8, 0.96)   // GoogLeNet: -4% every 8 epochs</pre>
 */
public record Schedule(Kind kind, double everyEpochs, double factor, double warmupEpochs) {
    public enum Kind { CONSTANT, STEP, COSINE, LINEAR }

    public Schedule {
        if (kind == null) throw new NetbookException("Schedule: the kind is null");
        if (!(warmupEpochs >= 0) || Double.isInfinite(warmupEpochs)) throw new NetbookException("warm-up must be zero or positive, received " + warmupEpochs);
        if (kind == Kind.STEP && !(everyEpochs > 0 && factor > 0 && Double.isFinite(everyEpochs) && Double.isFinite(factor))) {
            throw new NetbookException("Schedule.step(" + everyEpochs + ", " + factor + "): both must be positive");
        }
    }

    public static Schedule constant() { return new Schedule(Kind.CONSTANT, 0, 1, 0); }
    /** Multiply by {@code factor} every {@code everyEpochs} epochs. */
    public static Schedule step(double everyEpochs, double factor) { return new Schedule(Kind.STEP, everyEpochs, factor, 0); }
    /** Cosine decay from the base rate to zero over the whole run. */
    public static Schedule cosine() { return new Schedule(Kind.COSINE, 0, 0, 0); }
    /** Linear decay from the base rate to zero over the whole run (after any warm-up), as BERT's and GCC's {@code warmup_linear}. */
    public static Schedule linear() { return new Schedule(Kind.LINEAR, 0, 0, 0); }
    public Schedule warmup(double epochs) { return new Schedule(kind, everyEpochs, factor, epochs); }

    /** For tables and logs: "cosine", "step x0.96 every 8 epochs", "cosine after 1 warm-up epoch". */
    public String describe() {
        String base = switch (kind) {
            case CONSTANT -> "constant";
            case STEP -> "step x" + OptimizerSpec.number(factor) + " every " + OptimizerSpec.number(everyEpochs) + " epochs";
            case COSINE -> "cosine";
            case LINEAR -> "linear decay";
        };
        return warmupEpochs == 0 ? base
                : base + " after " + OptimizerSpec.number(warmupEpochs) + " warm-up epoch" + (warmupEpochs == 1 ? "" : "s");
    }

    /** The rate at update {@code step} (0-based) of a run of {@code totalSteps}. */
    public double rate(double base, int step, int stepsPerEpoch, int totalSteps) {
        double epoch = (double) step / Math.max(1, stepsPerEpoch);
        double warm = warmupEpochs * stepsPerEpoch;
        if (warm > 0 && step < warm) {
            return base * (step + 1) / warm;
        }
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(factor, Math.floor(epoch / everyEpochs));
            case LINEAR -> {
                double t = (step - warm) / Math.max(1, totalSteps - warm);
                yield base * Math.max(0, 1 - t);
            }
            case COSINE -> {
                double t = (step - warm) / Math.max(1, totalSteps - warm);
                yield base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t)));
            }
        };
    }
}
