package netbook.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;

/**
 * A loss of the agreement {@code a = y * f(x)} alone, with {@code y} in {-1, +1}: {@code L(f, y) =
 * psi(y * f)}. The derivative with respect to the prediction is {@code y * deriv(y * f)}.
 * <pre>
 * MarginLoss hinge = MarginLosses.l1Hinge();
 * hinge.psi(0.5);      // 0.5
 * hinge.deriv(0.5);    // -1
 * hinge.toDjl();       // a DJL Loss for labels in {-1, +1} (or {0, 1})
 * </pre>
 */
public interface MarginLoss {
    /** The name used in tables and as the DJL loss name, with parameters: {@code SmoothedL1Hinge(gamma=0.5)}. */
    String name();

    /** The loss at agreement {@code a}. */
    double psi(double a);

    /** The first derivative psi'(a); at a kink, the one-sided value stated by the loss. */
    double deriv(double a);

    /** The second derivative psi''(a); at a kink, the one-sided value stated by the loss. */
    double deriv2(double a);

    /** The loss of every element of {@code a}, with NDArray operations so that autograd works. */
    NDArray psi(NDArray a);

    /** Convexity, smoothness, Lipschitz and consistency traits. */
    MarginTraits traits();

    /**
     * This loss as a DJL loss for binary classification: the mean of {@code psi(y * f(x))} over a
     * batch of predictions of shape (N) or (N, 1) and labels in {-1, +1}; labels in {0, 1} are read
     * as 0 -> -1, 1 -> +1.
     */
    default Loss toDjl() {
        return new MarginDjlLoss(this);
    }
}
