package netbook.loss;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * What a margin loss is: convex or not, how smooth, Lipschitz or not, and whether minimising it
 * leads to the Bayes classifier. Built from a loss's declared traits by {@link #declare()}, which
 * fills in the implied ones as LossFunctions.jl does:
 * <ul>
 *   <li>strongly convex implies strictly convex implies convex;</li>
 *   <li>twice differentiable implies differentiable;</li>
 *   <li>locally Lipschitz = convex or Lipschitz;</li>
 *   <li>universally Fisher-consistent implies Fisher-consistent;</li>
 *   <li>classification-calibrated = declared, or convex and differentiable at 0 with psi'(0) &lt; 0.</li>
 * </ul>
 * <pre>
 * MarginTraits t = MarginTraits.declare().convex().lipschitz().clipable()
 *         .differentiableExceptAt(1).resolve(a -> a &gt;= 1 ? 0 : -1);   // L1Hinge's traits
 * t.classificationCalibrated();   // true
 * </pre>
 */
public record MarginTraits(
        boolean convex,
        boolean strictlyConvex,
        boolean stronglyConvex,
        boolean differentiable,
        boolean twiceDifferentiable,
        boolean lipschitz,
        boolean locallyLipschitz,
        boolean classificationCalibrated,
        boolean clipable,
        boolean fisherConsistent,
        boolean universallyFisherConsistent) {

    /** Column names of the traits table, in the order of {@link #values()}. */
    public static final List<String> NAMES = List.of(
            "convex", "strictly convex", "strongly convex", "differentiable", "twice differentiable",
            "Lipschitz", "locally Lipschitz", "classification-calibrated", "clipable",
            "Fisher-consistent", "universally Fisher-consistent");

    /** The traits in the order of {@link #NAMES}. */
    public List<Boolean> values() {
        return List.of(convex, strictlyConvex, stronglyConvex, differentiable, twiceDifferentiable,
                lipschitz, locallyLipschitz, classificationCalibrated, clipable, fisherConsistent,
                universallyFisherConsistent);
    }

    /** Starts a declaration with every trait false. */
    public static Declared declare() {
        return new Declared();
    }

    /** The traits a loss states about itself; {@link #resolve} adds the implied ones. */
    public static final class Declared {
        private boolean convex, strictly, strongly, differentiable, twice, lipschitz;
        private boolean classCalibrated, clipable, fisher, universalFisher;
        private double[] kinks;

        private Declared() {}

        public Declared convex() { convex = true; return this; }
        public Declared strictlyConvex() { strictly = true; return convex(); }
        public Declared stronglyConvex() { strongly = true; return strictlyConvex(); }
        public Declared differentiable() { differentiable = true; return this; }
        public Declared twiceDifferentiable() { twice = true; return differentiable(); }
        public Declared lipschitz() { lipschitz = true; return this; }
        public Declared clipable() { clipable = true; return this; }
        public Declared fisherConsistent() { fisher = true; return this; }
        public Declared universallyFisherConsistent() { universalFisher = true; return fisherConsistent(); }

        /** Not differentiable, but differentiable everywhere except at these agreements. */
        public Declared differentiableExceptAt(double... points) { kinks = points.clone(); return this; }

        /** Classification-calibrated although not convex (stated by the loss, not derived). */
        public Declared classificationCalibrated() { classCalibrated = true; return this; }

        /** The full traits; {@code deriv} is the loss's psi', used for calibration at 0. */
        public MarginTraits resolve(DoubleUnaryOperator deriv) {
            boolean differentiableAtZero = differentiable
                    || (kinks != null && Arrays.stream(kinks).noneMatch(k -> k == 0));
            boolean calibrated = classCalibrated
                    || (convex && differentiableAtZero && deriv.applyAsDouble(0) < 0);
            return new MarginTraits(convex, strictly, strongly, differentiable, twice, lipschitz,
                    convex || lipschitz, calibrated, clipable, fisher, universalFisher);
        }
    }
}
