/**
 * Training losses. {@link netbook.loss.Losses} holds the usual ones (cross-entropy, mean squared
 * error); {@link netbook.loss.MarginLosses} the eleven margin losses for binary classification, each
 * a loss of the agreement {@code a = y * f(x)} with {@code y} in {-1, +1}, written {@code psi(a)},
 * with its value, first and second derivative, traits, and a DJL loss for training.
 * <pre>
 * import static netbook.loss.MarginLosses.*;
 * l1Hinge().psi(0.5);                 // 0.5
 * smoothedL1Hinge(0.5).toDjl();       // a DJL Loss: mean psi(y * f(x))
 * MarginLosses.traits();              // the traits table
 * </pre>
 * Margin-loss formulas and traits follow JuliaML/LossFunctions.jl ({@code margin.jl}).
 */
package netbook.loss;
