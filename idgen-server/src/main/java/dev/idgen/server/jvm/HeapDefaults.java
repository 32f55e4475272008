package dev.idgen.server.jvm;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Heap defaults for a server started without any heap option, as {@code java -jar} is.
 *
 * <p>
 * Why: without options the JVM sizes G1 for the whole host (a heap allowed to grow to a
 * quarter of its memory) and keeps whatever it once committed. A burst of load then
 * leaves an id server, whose live set is a few tens of megabytes, holding hundreds of
 * megabytes for good. The heap's maximum cannot change once the JVM runs, but three of
 * HotSpot's manageable flags can:
 * <ul>
 * <li>{@code MinHeapFreeRatio=10}, {@code MaxHeapFreeRatio=30}: at the end of each
 * concurrent cycle G1 gives back committed heap beyond 30% free;</li>
 * <li>{@code G1PeriodicGCInterval=10000}: a node that went 10 s without a collection (an
 * idle one) runs a concurrent cycle, so what a burst committed is given back.</li>
 * </ul>
 *
 * <p>
 * Nothing is changed if the launch chose any heap option ({@link #HEAP_OPTIONS}, from the
 * command line, {@code JAVA_TOOL_OPTIONS} or a flags file), if the collector is not G1,
 * or if the JVM has no HotSpot diagnostic bean. The deployment files size the heap
 * themselves, from the container's memory.
 */
public final class HeapDefaults implements ApplicationListener<ApplicationReadyEvent> {

    /** Options that, set by the launch, mean it sized the heap itself. */
    static final List<String> HEAP_OPTIONS = List.of("MaxHeapSize", "InitialHeapSize", "MinHeapSize", "MaxRAM",
            "MaxRAMPercentage", "InitialRAMPercentage", "MinRAMPercentage", "MinHeapFreeRatio", "MaxHeapFreeRatio",
            "G1PeriodicGCInterval");

    /** Applied in this order: the minimum first, so the two ratios stay ordered. */
    static final Map<String, String> DEFAULTS = orderedDefaults();

    private static final Logger logger = LoggerFactory.getLogger(HeapDefaults.class);

    private final List<String> applied;

    /** Why not every default was applied, or empty if every one was. */
    private final String skipped;

    private HeapDefaults(List<String> applied, String skipped) {
        this.applied = applied;
        this.skipped = skipped;
    }

    /**
     * Applies the defaults to this JVM where the launch left the heap alone. Call it
     * before anything else in {@code main}; register the result as a listener, so what
     * was done is logged once logging is configured.
     */
    public static HeapDefaults apply() {
        HotSpotDiagnosticMXBean bean;
        try {
            bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        }
        catch (RuntimeException | LinkageError ex) {
            return new HeapDefaults(List.of(), "this JVM has no HotSpot diagnostic bean (" + ex + ")");
        }
        return apply(new HotSpotOptions(bean));
    }

    static HeapDefaults apply(VmOptions options) {
        if (!"true".equals(options.value("UseG1GC"))) {
            return new HeapDefaults(List.of(), "the collector is not G1");
        }
        for (String name : HEAP_OPTIONS) {
            if (options.setByLaunch(name)) {
                return new HeapDefaults(List.of(), "the launch set -XX:" + name);
            }
        }
        List<String> applied = new ArrayList<>();
        for (Map.Entry<String, String> option : DEFAULTS.entrySet()) {
            try {
                options.set(option.getKey(), option.getValue());
                applied.add(option.getKey() + "=" + option.getValue());
            }
            catch (RuntimeException ex) {
                return new HeapDefaults(List.copyOf(applied),
                        "-XX:" + option.getKey() + " could not be set (" + ex.getMessage() + ")");
            }
        }
        return new HeapDefaults(List.copyOf(applied), "");
    }

    /** The options set, as {@code name=value}. */
    List<String> applied() {
        return applied;
    }

    /** Why not every default was applied, or empty if every one was. */
    String skipped() {
        return skipped;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (skipped.isEmpty()) {
            logger.info(
                    "No heap options given: set -XX:{} so that G1 gives back memory a burst of load committed. "
                            + "Any heap option (-Xmx, -XX:MaxRAMPercentage, ...) in the launch turns this off.",
                    String.join(" -XX:", applied));
        }
        else {
            logger.debug("Heap defaults not applied: {}{}", skipped, applied.isEmpty() ? "" : "; applied " + applied);
        }
    }

    private static Map<String, String> orderedDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("MinHeapFreeRatio", "10");
        defaults.put("MaxHeapFreeRatio", "30");
        defaults.put("G1PeriodicGCInterval", "10000");
        return Collections.unmodifiableMap(defaults);
    }

    /** The JVM's options, as far as this class needs them. */
    interface VmOptions {

        String value(String name);

        /**
         * Whether the launch chose the option (command line, environment, flags file)
         * rather than leaving it to the JVM's defaults and ergonomics.
         */
        boolean setByLaunch(String name);

        void set(String name, String value);

    }

    private record HotSpotOptions(HotSpotDiagnosticMXBean bean) implements VmOptions {

        @Override
        public String value(String name) {
            try {
                return bean.getVMOption(name).getValue();
            }
            catch (IllegalArgumentException ex) {
                return "";
            }
        }

        @Override
        public boolean setByLaunch(String name) {
            try {
                VMOption.Origin origin = bean.getVMOption(name).getOrigin();
                return origin != VMOption.Origin.DEFAULT && origin != VMOption.Origin.ERGONOMIC;
            }
            catch (IllegalArgumentException ex) {
                return false; // an option this JVM does not have cannot have been set
            }
        }

        @Override
        public void set(String name, String value) {
            bean.setVMOption(name, value);
        }

    }

}
