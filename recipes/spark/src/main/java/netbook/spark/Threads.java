package netbook.spark;

/**
 * PyTorch's intra-op threads for the calling thread. libtorch keeps the count per thread (OpenMP's
 * setting of the thread that starts a parallel region), so two trials on two task threads of one
 * executor each use their own share, and a trial with the same count computes the same losses.
 */
final class Threads {
    private Threads() {}

    static void set(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be positive, received " + threads);
        ai.djl.engine.Engine.getInstance();   // loads the native library before its first call
        // A thread's first parallel operation sets its count from the last one set by any thread;
        // asking first does that now, so the count set next stays this thread's own.
        ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    static int get() {
        ai.djl.engine.Engine.getInstance();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }
}
