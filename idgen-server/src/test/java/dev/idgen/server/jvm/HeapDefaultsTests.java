package dev.idgen.server.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeapDefaultsTests {

    @Test
    void aLaunchWithoutHeapOptionsGetsTheRatiosMinimumFirstAndThePeriodicCollection() {
        FakeOptions options = new FakeOptions();

        HeapDefaults defaults = HeapDefaults.apply(options);

        assertThat(options.set).containsExactly("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30",
                "G1PeriodicGCInterval=10000");
        assertThat(defaults.applied()).isEqualTo(options.set);
        assertThat(defaults.skipped()).isEmpty();
    }

    @Test
    void anyHeapOptionFromTheLaunchLeavesEveryFlagAlone() {
        for (String option : HeapDefaults.HEAP_OPTIONS) {
            FakeOptions options = new FakeOptions();
            options.setByLaunch.add(option);

            HeapDefaults defaults = HeapDefaults.apply(options);

            assertThat(options.set).as(option).isEmpty();
            assertThat(defaults.skipped()).as(option).isEqualTo("the launch set -XX:" + option);
        }
    }

    @Test
    void anotherCollectorIsLeftAlone() {
        FakeOptions options = new FakeOptions();
        options.values.put("UseG1GC", "false");

        assertThat(HeapDefaults.apply(options).skipped()).isEqualTo("the collector is not G1");
        assertThat(options.set).isEmpty();
    }

    @Test
    void aFlagTheJvmRefusesStopsTheRestAndSaysWhich() {
        FakeOptions options = new FakeOptions();
        options.refused = "MaxHeapFreeRatio";

        HeapDefaults defaults = HeapDefaults.apply(options);

        assertThat(defaults.applied()).containsExactly("MinHeapFreeRatio=10");
        assertThat(defaults.skipped()).startsWith("-XX:MaxHeapFreeRatio could not be set");
    }

    @Test
    void aRealJvmStartedWithoutHeapOptionsTakesTheDefaults() throws Exception {
        assertThat(runInFreshJvm()).isEqualTo("MinHeapFreeRatio=10 MaxHeapFreeRatio=30 G1PeriodicGCInterval=10000");
    }

    @Test
    void aRealJvmStartedWithXmxKeepsItsOwnFlags() throws Exception {
        assertThat(runInFreshJvm("-Xmx256m"))
            .isEqualTo("MinHeapFreeRatio=40 MaxHeapFreeRatio=70 G1PeriodicGCInterval=0");
    }

    /**
     * Runs {@link #main} in a JVM of its own: flags set here would stay set in this one.
     */
    private static String runInFreshJvm(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseG1GC");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapDefaultsTests.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** Applies the defaults, then prints the three flags as the JVM now reports them. */
    public static void main(String[] args) {
        HeapDefaults.apply();
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        List<String> values = new ArrayList<>();
        for (String name : List.of("MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval")) {
            values.add(name + "=" + bean.getVMOption(name).getValue());
        }
        System.out.println(String.join(" ", values));
    }

    private static final class FakeOptions implements HeapDefaults.VmOptions {

        final Map<String, String> values = new HashMap<>(Map.of("UseG1GC", "true"));

        final Set<String> setByLaunch = new HashSet<>();

        final List<String> set = new ArrayList<>();

        String refused = "";

        @Override
        public String value(String name) {
            return values.getOrDefault(name, "");
        }

        @Override
        public boolean setByLaunch(String name) {
            return setByLaunch.contains(name);
        }

        @Override
        public void set(String name, String value) {
            if (name.equals(refused)) {
                throw new IllegalArgumentException("not writeable");
            }
            set.add(name + "=" + value);
        }

    }

}
