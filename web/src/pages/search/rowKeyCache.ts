// rowKey (a hash of the whole row) computed once per row object.
import type { Row } from '../../api/types';
import { rowKey } from './rowMerge';

const cache = new WeakMap<Row, string>();

export function cachedRowKey(row: Row): string {
  let k = cache.get(row);
  if (k === undefined) {
    k = rowKey(row);
    cache.set(row, k);
  }
  return k;
}
