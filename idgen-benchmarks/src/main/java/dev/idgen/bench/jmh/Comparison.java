package dev.idgen.bench.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs idgen and its peers in one JMH run and prints the comparison table.
 *
 * <p>
 * Takes JMH's own command line (e.g. {@code -f 1 -wi 1 -i 1 -w 1s -r 1s} for a smoke run,
 * {@code -rf
 * json -rff result.json} to keep the raw results). Without a benchmark pattern it runs
 * both benchmark classes. Exits 1 if a goal is missed or not measured, so a script can
 * tell.
 */
public final class Comparison {

    private Comparison() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        if (commandLine.shouldHelp()) {
            commandLine.showHelp();
            return;
        }
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(commandLine);
        if (commandLine.getIncludes().isEmpty()) {
            builder.include(CappedLayoutBenchmarks.class.getSimpleName() + "\\.")
                .include(UncappedLayoutBenchmarks.class.getSimpleName() + "\\.");
        }
        Options options = builder.build();
        if (commandLine.shouldList()) {
            new Runner(options).list();
            return;
        }
        Collection<RunResult> results = new Runner(options).run();

        List<BenchmarkScore> scores = new ArrayList<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            // Keep "Class.method": the package is the same for all of them.
            int method = benchmark.lastIndexOf('.');
            int type = benchmark.lastIndexOf('.', method - 1);
            scores.add(new BenchmarkScore(benchmark.substring(type + 1), result.getParams().getThreads(),
                    result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError(),
                    result.getPrimaryResult().getScoreUnit()));
        }
        ComparisonTable table = new ComparisonTable(scores);
        System.out.println(environment());
        System.out.print(table.render(MetricsOnGenerator.DESCRIPTION));
        System.exit(table.allGoalsMet() ? 0 : 1);
    }

    private static String environment() {
        return String.format("%nJDK %s (%s), %d CPUs, %s %s", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"));
    }

}
