package netbook.train;

/** Optimisers, for {@code import static netbook.train.Optimizers.*}. <pre>adam(1e-3)    sgd(0.01).momentum(0.9)</pre> */
public final class Optimizers {
    private Optimizers() {}

    /** Plain SGD; chain {@code .momentum(0.9)}. */
    public static OptimizerSpec sgd(double lr) {
        return new OptimizerSpec(OptimizerSpec.Kind.SGD, lr, 0, 0, 0, 0, Schedule.constant());
    }

    /** Adam with beta1 0.9, beta2 0.999, eps 1e-8. */
    public static OptimizerSpec adam(double lr) {
        return new OptimizerSpec(OptimizerSpec.Kind.ADAM, lr, 0, 0, 0, 0, Schedule.constant());
    }
}
