package io.github.vectorcnn.io;

import java.io.IOException;

/** A {@code .npy} or {@code .npz} file that is truncated, corrupt or of an unsupported kind. */
public class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
