package dev.idgen.bench.load;

import java.util.Arrays;

/**
 * A growable array of primitive longs: millions of ids without boxing. Not thread-safe.
 */
final class LongList {

    private long[] values = new long[1024];

    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.max(1024, values.length + (values.length >> 1)));
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    long get(int index) {
        return values[index];
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    void sort() {
        Arrays.sort(values, 0, size);
    }

}
