package netbook.dsl;

/** Base of every error Netbook raises on purpose; the message always says where. */
public class NetbookException extends RuntimeException {
    public NetbookException(String message) {
        super(message);
    }

    public NetbookException(String message, Throwable cause) {
        super(message, cause);
    }
}
