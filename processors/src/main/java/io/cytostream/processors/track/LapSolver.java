package io.cytostream.processors.track;

import java.util.Arrays;

/**
 * Sparse linear assignment with non-assignment alternatives, in the LAP framework of Jaqaman et al.
 * (Nature Methods 2008) used by TrackMate.
 *
 * <p>Problem: given {@code n} rows (e.g. track ends), {@code m} columns (e.g. detections), a sparse
 * set of allowed pairs with cost {@code c(i,j) >= 0}, a cost {@code rowAlone[i] >= 0} for leaving
 * row {@code i} unassigned (track death) and {@code colAlone[j] >= 0} for leaving column {@code j}
 * unassigned (track birth), find a matching {@code M} (each row and column used at most once, only
 * allowed pairs) minimising
 *
 * <pre>  Σ_{(i,j)∈M} c(i,j) + Σ_{i unmatched} rowAlone[i] + Σ_{j unmatched} colAlone[j].</pre>
 *
 * <p>Method: the problem is written as the usual square {@code (n+m) × (m+n)} block matrix {@code
 * [C, D; B, Cᵀ₀]} where {@code D} is diagonal with the death costs, {@code B} diagonal with the
 * birth costs and the lower-right block has cost 0 on the transposed sparsity pattern of {@code C}
 * (so that every partial matching of {@code C} completes to a perfect matching of the block matrix
 * and the block matrix is always feasible). That square problem is solved exactly by successive
 * shortest augmenting paths with dual potentials (the Jonker–Volgenant / Crouse 2016 shortest-path
 * variant of the Hungarian method), with Dijkstra on a binary heap over the sparse entries. Each
 * Dijkstra search stops at the first free column, and touched state is reset lazily, so the work of
 * one augmentation is bounded by the connected component of the gated candidate graph it runs in:
 * for distance-gated tracking problems the total work is near linear in the number of entries, not
 * quadratic in {@code n}.
 *
 * <p>Ties between optimal matchings are broken deterministically (same input, same output). This
 * class is stateless and thread-safe.
 */
public final class LapSolver {
  private LapSolver() {}

  /**
   * An optimal matching.
   *
   * @param rowToCol for each row its column, or -1 if unassigned
   * @param colToRow for each column its row, or -1 if unassigned
   * @param totalCost the minimised objective (assigned costs plus non-assignment costs)
   */
  public record Assignment(int[] rowToCol, int[] colToRow, double totalCost) {}

  /**
   * Solves the assignment problem described in the class comment.
   *
   * @param costs allowed pairs and their costs ({@code rows × cols})
   * @param rowAlone cost of leaving each row unassigned, length {@code costs.rows()}
   * @param colAlone cost of leaving each column unassigned, length {@code costs.cols()}
   * @return an optimal matching
   */
  public static Assignment solve(SparseCostMatrix costs, double[] rowAlone, double[] colAlone) {
    final int n = costs.rows();
    final int m = costs.cols();
    if (rowAlone.length != n || colAlone.length != m) {
      throw new IllegalArgumentException("alternative costs do not match the matrix size");
    }
    checkCosts(rowAlone);
    checkCosts(colAlone);
    final int size = n + m;
    // Square block matrix in CSR. Rows [0,n) real; rows [n, n+m) birth dummies (one per column).
    // Columns [0,m) real; columns [m, m+n) death dummies (one per row).
    int nnz = 2 * costs.entries() + n + m;
    int[] start = new int[size + 1];
    int[] col = new int[nnz];
    double[] val = new double[nnz];
    int w = 0;
    for (int i = 0; i < n; i++) {
      start[i] = w;
      for (int k = costs.rowStart(i); k < costs.rowEnd(i); k++) {
        col[w] = costs.col(k);
        val[w] = costs.cost(k);
        w++;
      }
      col[w] = m + i;
      val[w] = rowAlone[i];
      w++;
    }
    // transpose pattern for the lower-right block
    int[] tCount = new int[m + 1];
    for (int k = 0; k < costs.entries(); k++) {
      tCount[costs.col(k) + 1]++;
    }
    for (int j = 0; j < m; j++) {
      tCount[j + 1] += tCount[j];
    }
    int[] tRows = new int[costs.entries()];
    int[] tFill = Arrays.copyOf(tCount, m);
    for (int i = 0; i < n; i++) {
      for (int k = costs.rowStart(i); k < costs.rowEnd(i); k++) {
        tRows[tFill[costs.col(k)]++] = i;
      }
    }
    for (int j = 0; j < m; j++) {
      start[n + j] = w;
      col[w] = j;
      val[w] = colAlone[j];
      w++;
      for (int p = tCount[j]; p < tCount[j + 1]; p++) {
        col[w] = m + tRows[p];
        val[w] = 0.0;
        w++;
      }
    }
    start[size] = w;

    int[] col4row = solveSquare(size, start, col, val);

    int[] rowToCol = new int[n];
    int[] colToRow = new int[m];
    Arrays.fill(colToRow, -1);
    double total = 0;
    for (int i = 0; i < n; i++) {
      int j = col4row[i];
      if (j < m) {
        rowToCol[i] = j;
        colToRow[j] = i;
        total += costs.get(i, j);
      } else {
        rowToCol[i] = -1;
        total += rowAlone[i];
      }
    }
    for (int j = 0; j < m; j++) {
      if (colToRow[j] < 0) {
        total += colAlone[j];
      }
    }
    return new Assignment(rowToCol, colToRow, total);
  }

  private static void checkCosts(double[] a) {
    for (double x : a) {
      if (!(x >= 0) || Double.isInfinite(x)) {
        throw new IllegalArgumentException("non-assignment cost must be finite and >= 0: " + x);
      }
    }
  }

  /**
   * Shortest augmenting path on a square sparse problem known to have a perfect matching. Returns,
   * for each row, its column.
   */
  static int[] solveSquare(int size, int[] start, int[] col, double[] val) {
    double[] u = new double[size];
    double[] v = new double[size];
    int[] col4row = new int[size];
    int[] row4col = new int[size];
    Arrays.fill(col4row, -1);
    Arrays.fill(row4col, -1);
    double[] dist = new double[size];
    Arrays.fill(dist, Double.POSITIVE_INFINITY);
    int[] path = new int[size];
    boolean[] done = new boolean[size];
    int[] touched = new int[size];
    int[] scannedRows = new int[size];
    IndexedHeap heap = new IndexedHeap(size, dist);

    for (int cur = 0; cur < size; cur++) {
      int nTouched = 0;
      int nScanned = 0;
      double minVal = 0;
      int i = cur;
      int sink = -1;
      while (sink < 0) {
        scannedRows[nScanned++] = i;
        for (int k = start[i]; k < start[i + 1]; k++) {
          int j = col[k];
          if (done[j]) {
            continue;
          }
          double r = minVal + val[k] - u[i] - v[j];
          if (r < dist[j]) {
            if (dist[j] == Double.POSITIVE_INFINITY) {
              touched[nTouched++] = j;
            }
            dist[j] = r;
            path[j] = i;
            heap.pushOrDecrease(j);
          }
        }
        if (heap.isEmpty()) {
          throw new IllegalStateException("assignment problem is infeasible");
        }
        int j = heap.pop();
        done[j] = true;
        minVal = dist[j];
        if (row4col[j] < 0) {
          sink = j;
        } else {
          i = row4col[j];
        }
      }
      // dual update
      u[cur] += minVal;
      for (int s = 1; s < nScanned; s++) {
        int r = scannedRows[s];
        u[r] += minVal - dist[col4row[r]];
      }
      for (int t = 0; t < nTouched; t++) {
        int j = touched[t];
        if (done[j]) {
          v[j] -= minVal - dist[j];
        }
      }
      // augment along the path
      int j = sink;
      while (true) {
        int r = path[j];
        row4col[j] = r;
        int prev = col4row[r];
        col4row[r] = j;
        if (r == cur) {
          break;
        }
        j = prev;
      }
      // lazy reset
      for (int t = 0; t < nTouched; t++) {
        int jj = touched[t];
        dist[jj] = Double.POSITIVE_INFINITY;
        done[jj] = false;
      }
      heap.clear();
    }
    return col4row;
  }

  /**
   * Binary min-heap of column indices keyed by an external distance array; equal keys pop lowest
   * index first, so that the solver is deterministic. A key may only decrease while its index is in
   * the heap ({@link #pushOrDecrease} after lowering it).
   */
  static final class IndexedHeap {
    private final int[] heap;
    private final int[] pos;
    private final double[] key;
    private int size;

    IndexedHeap(int capacity, double[] key) {
      this.heap = new int[capacity];
      this.pos = new int[capacity];
      Arrays.fill(pos, -1);
      this.key = key;
    }

    boolean isEmpty() {
      return size == 0;
    }

    void clear() {
      for (int k = 0; k < size; k++) {
        pos[heap[k]] = -1;
      }
      size = 0;
    }

    void pushOrDecrease(int x) {
      int p = pos[x];
      if (p < 0) {
        p = size++;
        heap[p] = x;
        pos[x] = p;
      }
      siftUp(p);
    }

    int pop() {
      int top = heap[0];
      pos[top] = -1;
      size--;
      if (size > 0) {
        heap[0] = heap[size];
        pos[heap[0]] = 0;
        siftDown(0);
      }
      return top;
    }

    private boolean less(int a, int b) {
      double ka = key[a];
      double kb = key[b];
      return ka < kb || (ka == kb && a < b);
    }

    private void siftUp(int p) {
      int x = heap[p];
      while (p > 0) {
        int parent = (p - 1) >>> 1;
        int y = heap[parent];
        if (!less(x, y)) {
          break;
        }
        heap[p] = y;
        pos[y] = p;
        p = parent;
      }
      heap[p] = x;
      pos[x] = p;
    }

    private void siftDown(int p) {
      int x = heap[p];
      while (true) {
        int c = 2 * p + 1;
        if (c >= size) {
          break;
        }
        if (c + 1 < size && less(heap[c + 1], heap[c])) {
          c++;
        }
        if (!less(heap[c], x)) {
          break;
        }
        heap[p] = heap[c];
        pos[heap[c]] = p;
        p = c;
      }
      heap[p] = x;
      pos[x] = p;
    }
  }
}
