package netbook.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;

/**
 * Fashion-MNIST from its IDX files (gzip or plain): 60,000 training and 10,000 test images of
 * 1x28x28, pixels scaled to [0, 1], labels 0..9. Reads Debian's {@code dataset-fashion-mnist}
 * ({@value #DEFAULT_DIR}) unless the system property {@code netbook.fashion.dir} or the
 * environment variable {@code FASHION_MNIST_DIR} names another folder.
 * <pre>ArrayDataset train = FashionMnist.train();   ArrayDataset test = FashionMnist.at(dir).test();</pre>
 */
public final class FashionMnist {
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final Path dir;

    private FashionMnist(Path dir) {
        this.dir = dir;
    }

    public static FashionMnist at(Path dir) {
        return new FashionMnist(dir);
    }

    /** The configured folder (property, environment, then Debian's). */
    public static FashionMnist standard() {
        String p = System.getProperty("netbook.fashion.dir");
        if (p == null || p.isBlank()) p = System.getenv("FASHION_MNIST_DIR");
        return new FashionMnist(Path.of(p == null || p.isBlank() ? DEFAULT_DIR : p));
    }

    public static ArrayDataset train() { return standard().trainSet(); }
    public static ArrayDataset test() { return standard().testSet(); }

    public ArrayDataset trainSet() { return read("train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"); }
    public ArrayDataset testSet() { return read("test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"); }

    private ArrayDataset read(String split, String images, String labels) {
        MessageDigest sha = sha256();
        Path imgFile = locate(images);
        Path lblFile = locate(labels);
        Idx img = readIdx(imgFile, 0x00000803, sha);
        Idx lbl = readIdx(lblFile, 0x00000801, sha);
        if (img.dims[0] != lbl.dims[0]) {
            throw new NetbookException(imgFile + " holds " + img.dims[0] + " images but " + lblFile + " holds "
                    + lbl.dims[0] + " labels; the two files must come from the same split");
        }
        int n = img.dims[0];
        int h = img.dims[1];
        int w = img.dims[2];
        float[] x = new float[img.data.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (img.data[i] & 0xff) / 255f;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lbl.data[i] & 0xff;
            if (y[i] > 9) {
                throw new NetbookException(lblFile + ": record " + i + " has label " + y[i] + ", expected 0..9");
            }
        }
        return new ArrayDataset("fashion-mnist/" + split, x, Shape.of(1, h, w), y, 10,
                HexFormat.of().formatHex(sha.digest())).withClassNames(CLASSES);
    }

    private Path locate(String base) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) return plain;
        throw new NetbookException("Fashion-MNIST file " + gz + " not found (nor " + plain.getFileName() + "). "
                + "Install Debian's data set (apt-get install dataset-fashion-mnist) or point -Dnetbook.fashion.dir "
                + "or FASHION_MNIST_DIR at a folder with the four IDX files");
    }

    private record Idx(int[] dims, byte[] data) {}

    /** Reads one IDX file of unsigned bytes, checking its magic number, dimensions and length. */
    static Idx readIdx(Path file, int expectedMagic, MessageDigest sha) {
        try (InputStream raw = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file)), sha);
             DataInputStream in = new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw)) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new NetbookException(file + ": empty or truncated before the IDX header");
            }
            if (magic != expectedMagic) {
                throw new NetbookException(String.format("%s: magic number 0x%08x is not an IDX %s file (expected 0x%08x)",
                        file, magic, expectedMagic == 0x803 ? "image" : "label", expectedMagic));
            }
            int rank = expectedMagic & 0xff;
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) {
                    throw new NetbookException(file + ": IDX header dimension " + i + " is " + dims[i] + ", must be positive");
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE) {
                throw new NetbookException(file + ": IDX header promises " + total + " values, more than can be held");
            }
            byte[] data = new byte[(int) total];
            int read = in.readNBytes(data, 0, data.length);
            if (read < data.length) {
                throw new NetbookException(file + ": truncated: the header promises " + total + " values ("
                        + java.util.Arrays.toString(dims) + ") but only " + read + " follow");
            }
            return new Idx(dims, data);
        } catch (ZipException e) {
            throw new NetbookException(file + ": not a valid gzip file (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new NetbookException(file + ": truncated inside the IDX header or gzip stream", e);
        } catch (IOException e) {
            throw new NetbookException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
