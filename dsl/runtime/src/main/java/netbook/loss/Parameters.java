package netbook.loss;

import java.math.BigDecimal;
import netbook.dsl.NetbookException;

/** Validation and printing of loss parameters (gamma, q). */
final class Parameters {
    private Parameters() {}

    /** {@code value} if it is a finite number &gt; 0, else an error naming the loss and the value. */
    static double positive(String loss, String parameter, double value, String example) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new NetbookException(loss + ": " + parameter + " must be a finite number > 0, received "
                    + value + " (for example " + example + ")");
        }
        return value;
    }

    /** 0.5 -> "0.5", 2.0 -> "2". */
    static String format(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
