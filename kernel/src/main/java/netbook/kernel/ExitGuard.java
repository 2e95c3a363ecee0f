package netbook.kernel;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps {@code System.exit(...)} in a cell from ending the kernel. The kernel runs cells in its own
 * JVM, so an exit there would kill the session with every variable in it. The SecurityManager that
 * once vetoed exits is gone (JDK 24), so instead every class a cell defines is patched as it is
 * loaded: each call to {@code java/lang/System.exit(I)V} (a call, a method reference or a lambda's
 * target, which all name the same constant-pool entry) is pointed at {@link #exit(int)}, which
 * throws {@link SystemExitNotAllowed}. The patch only retargets that one constant-pool entry: the
 * rest of the class file is copied byte for byte, so it works on every class-file version.
 * Library code outside the cells (a jar added with %classpath) is not patched.
 */
public final class ExitGuard {
    private ExitGuard() {}

    /** What cell code calls instead of {@code System.exit}. */
    public static void exit(int status) {
        throw new SystemExitNotAllowed(status);
    }

    /** Thrown in place of {@code System.exit}; the cell ends with this error and the session goes on. */
    public static final class SystemExitNotAllowed extends RuntimeException {
        SystemExitNotAllowed(int status) {
            super("System.exit(" + status + ") is not allowed in a notebook cell; restart the kernel instead");
        }
    }

    private static final String TARGET_CLASS = "java/lang/System";
    private static final String GUARD_CLASS = ExitGuard.class.getName().replace('.', '/');

    /** The class file with every {@code System.exit(int)} reference pointed at {@link #exit}; the same array when there is none. */
    static byte[] patch(byte[] classFile) {
        try {
            return patchOrThrow(classFile);
        } catch (RuntimeException e) {
            return classFile; // not a class file we understand: define it as it is and let the JVM judge it
        }
    }

    private static byte[] patchOrThrow(byte[] b) {
        if (b.length < 10 || readInt(b, 0) != 0xCAFEBABE) return b;
        int count = readU2(b, 8);
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[] natName = new int[count];
        int[] natType = new int[count];
        int[] methodrefOffset = new int[count];   // offset of a Methodref's class_index, or 0
        int[] methodrefClass = new int[count];
        int[] methodrefNat = new int[count];
        int p = 10;
        for (int i = 1; i < count; i++) {
            int tag = b[p] & 0xff;
            switch (tag) {
                case 1 -> {
                    int len = readU2(b, p + 1);
                    utf8[i] = new String(b, p + 3, len, StandardCharsets.UTF_8); // modified UTF-8 equals UTF-8 for the names we look for
                    p += 3 + len;
                }
                case 3, 4 -> p += 5;
                case 5, 6 -> {
                    p += 9;
                    i++; // eight-byte constants take two slots
                }
                case 7 -> {
                    classNameIndex[i] = readU2(b, p + 1);
                    p += 3;
                }
                case 8, 16, 19, 20 -> p += 3;
                case 9, 11, 17, 18 -> p += 5;
                case 10 -> {
                    methodrefOffset[i] = p + 1;
                    methodrefClass[i] = readU2(b, p + 1);
                    methodrefNat[i] = readU2(b, p + 3);
                    p += 5;
                }
                case 12 -> {
                    natName[i] = readU2(b, p + 1);
                    natType[i] = readU2(b, p + 3);
                    p += 5;
                }
                case 15 -> p += 4;
                default -> throw new IllegalStateException("constant-pool tag " + tag);
            }
        }
        int poolEnd = p;
        java.util.List<Integer> targets = new java.util.ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (methodrefOffset[i] == 0) continue;
            int cls = methodrefClass[i];
            int nat = methodrefNat[i];
            if (TARGET_CLASS.equals(utf8[classNameIndex[cls]]) && "exit".equals(utf8[natName[nat]]) && "(I)V".equals(utf8[natType[nat]])) {
                targets.add(methodrefOffset[i]);
            }
        }
        if (targets.isEmpty()) return b;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(b.length + GUARD_CLASS.length() + 8);
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] head = java.util.Arrays.copyOf(b, poolEnd);
            int utf8Index = count;
            int classIndex = count + 1;
            for (int offset : targets) {
                head[offset] = (byte) (classIndex >> 8);
                head[offset + 1] = (byte) classIndex;
            }
            head[8] = (byte) ((count + 2) >> 8);
            head[9] = (byte) (count + 2);
            out.write(head);
            out.writeByte(1);
            out.writeUTF(GUARD_CLASS);
            out.writeByte(7);
            out.writeShort(utf8Index);
            out.write(b, poolEnd, b.length - poolEnd);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int readU2(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }

    private static int readInt(byte[] b, int p) {
        return readU2(b, p) << 16 | readU2(b, p + 2);
    }
}
