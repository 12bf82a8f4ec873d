package io.github.vectorcnn.data;

import java.io.IOException;

/** An IDX file that is truncated, corrupt, of an unsupported kind, or inconsistent with its pair. */
public class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public IdxFormatException(String message) {
        super(message);
    }

    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
