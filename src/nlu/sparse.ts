// Sparse vectors and row matrices: the currency between the vectorizer and the linear model.

export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/** Compressed sparse rows: row r owns entries indptr[r] .. indptr[r+1]-1. */
export interface SparseMatrix {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export function stackRows(rows: readonly SparseVector[], cols: number): SparseMatrix {
  const nnz = rows.reduce((sum, row) => sum + row.indices.length, 0);
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let at = 0;
  rows.forEach((row, r) => {
    indices.set(row.indices, at);
    values.set(row.values, at);
    at += row.indices.length;
    indptr[r + 1] = at;
  });
  return { rows: rows.length, cols, indptr, indices, values };
}
