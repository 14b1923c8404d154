package org.mailwright.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal ustar writer (POSIX.1-1988): the whole upload goes to the remote {@code tar -x} in one SSH exec
 * channel — one remote shell instead of one per file.
 */
final class TarStream {
    private static final int BLOCK = 512;
    private final OutputStream out;

    TarStream(OutputStream out) {
        this.out = out;
    }

    /** Starts an entry; the caller then writes exactly {@code size} bytes with {@link #data} and calls {@link #endEntry}. */
    void beginFile(String name, int mode, long size, long mtimeSeconds) throws IOException {
        byte[] name8 = name.getBytes(StandardCharsets.UTF_8);
        if (name8.length > 100) throw new IOException("path too long for the upload archive: " + name);
        byte[] h = new byte[BLOCK];
        System.arraycopy(name8, 0, h, 0, name8.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtimeSeconds);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        h[156] = '0';
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        h[155] = ' ';
        out.write(h);
    }

    void data(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    void endEntry(long size) throws IOException {
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[pad]);
    }

    /** Two zero blocks end the archive. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1) throw new IllegalArgumentException("value too large for tar header: " + value);
        s = "0".repeat(len - 1 - s.length()) + s;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
        h[off + len - 1] = 0;
    }
}
