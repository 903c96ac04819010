package io.cytostream.processors.track;

import java.util.Arrays;

/**
 * An immutable sparse cost matrix in compressed-row form: only the allowed (row, column) pairs are
 * stored; a pair that is not stored is forbidden (infinite cost). Costs are dimensionless, finite
 * and non-negative.
 */
public final class SparseCostMatrix {
  private final int rows;
  private final int cols;
  private final int[] rowStart;
  private final int[] colIndex;
  private final double[] cost;

  private SparseCostMatrix(int rows, int cols, int[] rowStart, int[] colIndex, double[] cost) {
    this.rows = rows;
    this.cols = cols;
    this.rowStart = rowStart;
    this.colIndex = colIndex;
    this.cost = cost;
  }

  /** A builder for a {@code rows × cols} matrix. */
  public static Builder builder(int rows, int cols) {
    return new Builder(rows, cols);
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /** Number of columns. */
  public int cols() {
    return cols;
  }

  /** Number of stored (allowed) entries. */
  public int entries() {
    return colIndex.length;
  }

  /** Index of the first stored entry of {@code row}; entries of a row are contiguous. */
  public int rowStart(int row) {
    return rowStart[row];
  }

  /** One past the index of the last stored entry of {@code row}. */
  public int rowEnd(int row) {
    return rowStart[row + 1];
  }

  /** Column of stored entry {@code k}. */
  public int col(int k) {
    return colIndex[k];
  }

  /** Cost of stored entry {@code k}. */
  public double cost(int k) {
    return cost[k];
  }

  /** The cost of ({@code row}, {@code col}), or {@link Double#POSITIVE_INFINITY} if forbidden. */
  public double get(int row, int col) {
    for (int k = rowStart[row]; k < rowStart[row + 1]; k++) {
      if (colIndex[k] == col) {
        return cost[k];
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /**
   * Collects entries in any order. Adding the same pair twice keeps the lower cost. Costs must be
   * finite and {@code >= 0}.
   */
  public static final class Builder {
    private final int rows;
    private final int cols;
    private int size;
    private int[] r = new int[16];
    private int[] c = new int[16];
    private double[] v = new double[16];

    private Builder(int rows, int cols) {
      if (rows < 0 || cols < 0) {
        throw new IllegalArgumentException("negative size " + rows + "x" + cols);
      }
      this.rows = rows;
      this.cols = cols;
    }

    /** Allows ({@code row}, {@code col}) at {@code cost}. */
    public Builder add(int row, int col, double cost) {
      if (row < 0 || row >= rows || col < 0 || col >= cols) {
        throw new IndexOutOfBoundsException("(" + row + ", " + col + ") in " + rows + "x" + cols);
      }
      if (!(cost >= 0) || Double.isInfinite(cost)) {
        throw new IllegalArgumentException("cost must be finite and >= 0: " + cost);
      }
      if (size == r.length) {
        r = Arrays.copyOf(r, size * 2);
        c = Arrays.copyOf(c, size * 2);
        v = Arrays.copyOf(v, size * 2);
      }
      r[size] = row;
      c[size] = col;
      v[size] = cost;
      size++;
      return this;
    }

    /** Builds the matrix (entries sorted by row, then column; duplicates merged to their min). */
    public SparseCostMatrix build() {
      int[] start = new int[rows + 1];
      for (int k = 0; k < size; k++) {
        start[r[k] + 1]++;
      }
      for (int i = 0; i < rows; i++) {
        start[i + 1] += start[i];
      }
      int[] fill = Arrays.copyOf(start, rows);
      int[] ci = new int[size];
      double[] cv = new double[size];
      for (int k = 0; k < size; k++) {
        int p = fill[r[k]]++;
        ci[p] = c[k];
        cv[p] = v[k];
      }
      // sort each row by column (insertion sort: rows are short) and merge duplicates
      int[] outStart = new int[rows + 1];
      int w = 0;
      for (int i = 0; i < rows; i++) {
        int a = start[i];
        int b = start[i + 1];
        for (int p = a + 1; p < b; p++) {
          int kc = ci[p];
          double kv = cv[p];
          int q = p - 1;
          while (q >= a && ci[q] > kc) {
            ci[q + 1] = ci[q];
            cv[q + 1] = cv[q];
            q--;
          }
          ci[q + 1] = kc;
          cv[q + 1] = kv;
        }
        outStart[i] = w;
        for (int p = a; p < b; p++) {
          if (w > outStart[i] && ci[w - 1] == ci[p]) {
            cv[w - 1] = Math.min(cv[w - 1], cv[p]);
          } else {
            ci[w] = ci[p];
            cv[w] = cv[p];
            w++;
          }
        }
      }
      outStart[rows] = w;
      return new SparseCostMatrix(rows, cols, outStart, Arrays.copyOf(ci, w), Arrays.copyOf(cv, w));
    }
  }
}
