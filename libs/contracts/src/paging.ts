export interface Page<T> {
  data: T[];
  meta: { page: number; limit: number; total: number; total_pages: number };
}
