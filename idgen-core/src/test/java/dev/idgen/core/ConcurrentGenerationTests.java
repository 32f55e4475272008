package dev.idgen.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Many threads, single and batch calls mixed, millions of ids on the real clock. */
class ConcurrentGenerationTests {

    @ParameterizedTest
    @CsvSource({ "41, 10, 12, 8, 400000", "41, 0, 22, 4, 1000000", "41, 16, 6, 6, 50000" })
    void manyThreadsMixingSingleAndBatchCallsGetUniqueIdsEachStrictlyIncreasing(int timestampBits, int workerIdBits,
            int sequenceBits, int threads, int idsPerThread) throws Exception {
        IdLayout layout = IdLayout.of(IdLayout.DEFAULT_EPOCH, timestampBits, workerIdBits, sequenceBits);
        RecordingListener listener = new RecordingListener();
        IdGenerator generator = IdGenerator.builder()
            .layout(layout)
            .workerId(layout.maxWorkerId())
            .listener(listener)
            .build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    long[] ids = new long[idsPerThread];
                    start.await();
                    int n = 0;
                    while (n < idsPerThread) {
                        if (random.nextInt(4) == 0) {
                            int count = Math.min(idsPerThread - n, 1 + random.nextInt(5000));
                            System.arraycopy(generator.nextIds(count), 0, ids, n, count);
                            n += count;
                        }
                        else {
                            ids[n++] = generator.nextId();
                        }
                    }
                    return ids;
                }));
            }
            start.countDown();

            long[] all = new long[threads * idsPerThread];
            int offset = 0;
            for (Future<long[]> result : results) {
                long[] ids = result.get(2, TimeUnit.MINUTES);
                for (int i = 1; i < ids.length; i++) {
                    assertThat(ids[i]).as("ids of one thread in call order, index %d", i).isGreaterThan(ids[i - 1]);
                }
                System.arraycopy(ids, 0, all, offset, ids.length);
                offset += ids.length;
            }
            Arrays.sort(all);
            for (int i = 1; i < all.length; i++) {
                if (all[i] == all[i - 1]) {
                    throw new AssertionError("duplicate id " + all[i] + " = " + layout.parse(all[i]));
                }
            }
            assertThat(all[0]).isPositive();
            assertThat(listener.generated).hasValue((long) threads * idsPerThread);
            assertThat(Arrays.stream(all).map(id -> layout.parse(id).workerId()).distinct().toArray())
                .containsExactly(layout.maxWorkerId());
        }
        finally {
            pool.shutdownNow();
        }
    }

}
