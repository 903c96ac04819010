package io.cytostream.processors.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The LAP's priority queue: pops in increasing key, ties by lowest index, each index once. */
class IndexedHeapTest {

  @Test
  void popsEveryIndexOnceInKeyOrderWithTiesByIndex() {
    Random rnd = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rnd.nextInt(40);
      double[] key = new double[n];
      Arrays.fill(key, Double.POSITIVE_INFINITY);
      LapSolver.IndexedHeap heap = new LapSolver.IndexedHeap(n, key);
      for (int step = 0; step < 3 * n; step++) {
        int x = rnd.nextInt(n);
        double k = rnd.nextInt(8); // few distinct keys: many ties
        if (k < key[x]) {
          key[x] = k;
          heap.pushOrDecrease(x);
        }
      }
      List<Integer> popped = new ArrayList<>();
      while (!heap.isEmpty()) {
        popped.add(heap.pop());
      }
      List<Integer> expected = new ArrayList<>();
      for (int x = 0; x < n; x++) {
        if (key[x] != Double.POSITIVE_INFINITY) {
          expected.add(x);
        }
      }
      expected.sort((a, b) -> key[a] != key[b] ? Double.compare(key[a], key[b]) : a - b);
      assertThat(popped).as("trial %d", trial).isEqualTo(expected);
    }
  }

  @Test
  void clearEmptiesItForReuse() {
    double[] key = {5, 3, 4, 1};
    LapSolver.IndexedHeap heap = new LapSolver.IndexedHeap(4, key);
    for (int x = 0; x < 4; x++) {
      heap.pushOrDecrease(x);
    }
    assertThat(heap.pop()).isEqualTo(3);
    heap.clear();
    assertThat(heap.isEmpty()).isTrue();
    key[0] = 0;
    heap.pushOrDecrease(2);
    heap.pushOrDecrease(0);
    heap.pushOrDecrease(1);
    assertThat(List.of(heap.pop(), heap.pop(), heap.pop())).containsExactly(0, 1, 2);
    assertThat(heap.isEmpty()).isTrue();
  }
}
