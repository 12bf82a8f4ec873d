package io.github.vectorcnn.training;

import java.io.IOException;

/** A checkpoint file that is damaged, incomplete, or does not fit the network it claims to hold. */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
