package netbook.kernel;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's execution engine inside the kernel process: snippets run on one "netbook-cell" thread
 * of this JVM, and each snippet's result stays a live object the kernel can render (a Tablesaw
 * table, a summary), not just a string. {@link #stop()} interrupts the cell thread and, if the
 * code ignores interruption (a tight loop), stops the thread after a grace period.
 */
final class LiveExecution extends DirectExecutionControl {
    /** How long interrupted code may take to return before its thread is stopped. */
    static final long GRACE_MS = 500;

    private final Loader loader;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile ExecutorService cellThread;
    private final Object lock = new Object();
    private volatile Thread running;
    private volatile boolean stopRequested;
    /** Set when a cell ignored its interrupt and this JDK cannot stop threads: the cell is left running, the session goes on. */
    private volatile boolean abandon;
    private final java.util.List<Thread> abandoned = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LiveExecution(Loader loader) {
        super(loader);
        this.loader = loader;
        this.cellThread = newCellThread();
    }

    private ExecutorService newCellThread() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "netbook-cell");
            t.setDaemon(true);
            t.setContextClassLoader(loader.classLoader);
            return t;
        });
    }

    /** Cells that ignored an interrupt on a JDK without Thread.stop, and still run in the background. */
    java.util.List<Thread> abandonedCells() {
        abandoned.removeIf(t -> !t.isAlive());
        return java.util.List.copyOf(abandoned);
    }

    /** Whether {@code t} runs a cell that was left running after an interrupt (see {@link #stop()}). */
    boolean isAbandoned(Thread t) {
        return !abandoned.isEmpty() && abandoned.contains(t);
    }

    /**
     * Thrown into an abandoned cell's thread at its next write to System.out or System.err. On a
     * JDK without Thread.stop this is where a print loop that ignores its interrupt ends; and
     * whatever it printed would otherwise land in a later cell's output. An Error, so that a
     * {@code catch (Exception e)} in the cell does not swallow it.
     */
    static final class Abandoned extends Error {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("this cell was interrupted and left behind; it ends at its next output", null, false, false);
        }
    }

    /** The engine as JShell asks for it; {@link #instance()} then gives the control it created. */
    static final class Provider implements ExecutionControlProvider {
        private volatile LiveExecution instance;

        @Override
        public String name() {
            return "netbook";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            instance = new LiveExecution(new Loader(LiveExecution.class.getClassLoader()));
            return instance;
        }

        LiveExecution instance() {
            return instance;
        }
    }

    ClassLoader classLoader() {
        return loader.classLoader;
    }

    /** The live object behind the last {@link #varValue} call on this thread (for %vars' shape column). */
    private final ThreadLocal<Object> lastVariable = new ThreadLocal<>();

    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException, InternalException {
        try {
            java.lang.reflect.Field f = findClass(className).getDeclaredField(varName);
            f.setAccessible(true);
            lastVariable.set(f.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            lastVariable.remove();
        }
        return super.varValue(className, varName);
    }

    /** The object whose text {@link #varValue} returned last on this thread, then forgets it. */
    Object takeLastVariable() {
        Object o = lastVariable.get();
        lastVariable.remove();
        return o;
    }

    /** The live value a snippet returned, given the key JShell reported as its value. */
    Object takeResult(String key) {
        return key == null ? null : results.remove(key);
    }

    void clearResults() {
        results.clear();
    }

    /** True once after a stop request hit running code; the caller reports the cell as interrupted. */
    boolean consumeStopped() {
        boolean s = stopRequested;
        stopRequested = false;
        return s;
    }

    boolean isRunning() {
        return running != null;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Future<Object> f = cellThread.submit(() -> {
            Thread.interrupted();
            synchronized (lock) {
                running = Thread.currentThread();
            }
            try {
                return doitMethod.invoke(null);
            } finally {
                synchronized (lock) {
                    running = null;
                }
            }
        });
        Object value;
        try {
            value = waitFor(f);
        } catch (ExecutionException e) {
            retireAbandonedThread();
            clearRunning();
            Throwable cause = e.getCause();
            if (stopRequested) {
                throw new StoppedException();
            }
            if (cause instanceof InvocationTargetException ite) {
                throw ite;
            }
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw new InvocationTargetException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoppedException();
        }
        retireAbandonedThread();
        clearRunning();
        String key = "#nb" + ids.incrementAndGet();
        if (value != null) {
            results.put(key, value);
        }
        return key;
    }

    /** The cell's result; or, once {@link #stop()} abandons a runaway cell, a stop at once (with a new cell thread for what follows). */
    private Object waitFor(Future<Object> f) throws ExecutionException, InterruptedException, StoppedException {
        while (true) {
            try {
                return f.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (retireAbandonedThread()) {
                    throw new StoppedException();
                }
            }
        }
    }

    /**
     * Gives the cells a new thread when {@link #stop()} left the current one behind, whether its
     * cell still runs or ended meanwhile (at its next print, see {@link Abandoned}): a thread left
     * behind never runs another cell.
     */
    private boolean retireAbandonedThread() {
        if (!abandon) {
            return false;
        }
        abandon = false;
        ExecutorService old = cellThread;
        cellThread = newCellThread();
        old.shutdown();
        return true;
    }

    private void clearRunning() {
        synchronized (lock) {
            running = null;
        }
    }

    /**
     * How long a stop waits for a library's class initializer to finish before it interrupts (and
     * before it stops the thread). A thread interrupted or stopped inside one leaves that class
     * unusable for the rest of the session ("Could not initialize class tech.tablesaw.api.Table" in
     * every later cell, seen when a first training cell was interrupted while Tablesaw initialised).
     */
    static final long CLASS_INIT_MS = 30_000;

    /**
     * Interrupts the running snippet; if it is still running after {@link #GRACE_MS}, stops its
     * thread (Thread.stop, still available on JDK 17), so even {@code while (true) {}} ends. Neither
     * happens inside a library class's static initializer (up to {@link #CLASS_INIT_MS}).
     */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        Thread t;
        synchronized (lock) {
            t = running;
            if (t == null) {
                return;
            }
        }
        // An interrupt inside a library's static initializer can fail it for good (Tablesaw's Table
        // runs an interruptible class-path scan there), so it waits until the initializer is done.
        long start = System.nanoTime();
        if (!waitWhile(t, () -> initializingLibraryClass(t) && System.nanoTime() - start < CLASS_INIT_MS * 1_000_000L)) {
            return;
        }
        synchronized (lock) {
            if (running != t) {
                return;
            }
            stopRequested = true;
            t.interrupt();
        }
        long interrupted = System.nanoTime();
        if (!waitWhile(t, () -> System.nanoTime() - interrupted < GRACE_MS * 1_000_000L
                || initializingLibraryClass(t) && System.nanoTime() - interrupted < CLASS_INIT_MS * 1_000_000L)) {
            return;
        }
        synchronized (lock) {
            if (running == t) {
                try {
                    t.stop();
                } catch (UnsupportedOperationException e) {
                    // JDK 20+: Thread.stop is gone. The cell ignores its interrupt, so it is left to run
                    // on its own thread (the error says so) and the session continues on a new one.
                    abandoned.add(t);
                    running = null;
                    abandon = true;
                }
            }
        }
    }

    /**
     * Waits in steps of a few milliseconds while {@code condition} holds; false as soon as the cell
     * ended on its own (or this thread was interrupted), true when the condition no longer holds
     * and the cell still runs.
     */
    private boolean waitWhile(Thread t, java.util.function.BooleanSupplier condition) {
        while (condition.getAsBoolean()) {
            if (running != t) {
                return false;
            }
            try {
                t.join(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running == t;
    }

    /**
     * Whether the thread runs a static initializer of a class that is not the session's own
     * (JShell puts snippet classes in package {@code REPL}; a user's endless static block may be
     * stopped like any other loop).
     */
    static boolean initializingLibraryClass(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getMethodName().equals("<clinit>") && !f.getClassName().startsWith("REPL.")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        cellThread.shutdownNow();
        super.close();
    }

    /** Loads JShell's generated classes next to jars added with %classpath; parent-first otherwise. */
    static final class Loader implements LoaderDelegate {
        final SnippetClassLoader classLoader;
        private final Map<String, Class<?>> classes = new HashMap<>();

        Loader(ClassLoader parent) {
            this.classLoader = new SnippetClassLoader(parent);
        }

        @Override
        public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
            boolean[] loaded = new boolean[cbcs.length];
            try {
                for (ClassBytecodes c : cbcs) {
                    classLoader.declare(c.name(), ExitGuard.patch(c.bytecodes()));
                }
                for (int i = 0; i < cbcs.length; i++) {
                    Class<?> k = classLoader.loadClass(cbcs[i].name());
                    classes.put(cbcs[i].name(), k);
                    loaded[i] = true;
                    k.getDeclaredMethods();
                }
            } catch (Throwable e) {
                throw new ClassInstallException("load: " + e.getMessage(), loaded);
            }
        }

        @Override
        public void classesRedefined(ClassBytecodes[] cbcs) {
            for (ClassBytecodes c : cbcs) {
                classLoader.declare(c.name(), ExitGuard.patch(c.bytecodes()));
            }
        }

        @Override
        public void addToClasspath(String path) throws InternalException {
            try {
                for (String p : path.split(File.pathSeparator)) {
                    if (!p.isEmpty()) {
                        classLoader.addURL(new File(p).toURI().toURL());
                    }
                }
            } catch (Exception e) {
                throw new InternalException(e.toString());
            }
        }

        @Override
        public Class<?> findClass(String name) throws ClassNotFoundException {
            Class<?> k = classes.get(name);
            if (k == null) {
                throw new ClassNotFoundException(name + " not found");
            }
            return k;
        }
    }

    static final class SnippetClassLoader extends URLClassLoader {
        private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();

        SnippetClassLoader(ClassLoader parent) {
            super(new URL[0], parent);
        }

        void declare(String name, byte[] code) {
            bytes.put(name, code);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = bytes.get(name);
            if (b == null) {
                return super.findClass(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        @Override
        public void addURL(URL url) {
            super.addURL(url);
        }

        List<URL> added() {
            return new ArrayList<>(List.of(getURLs()));
        }
    }
}
