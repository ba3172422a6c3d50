"""Parquet files, read by row group."""

import pyarrow as pa

from ..errors import TabularError
from .stream import TableStream


def open_parquet(path, max_columns):
    """Open a Parquet file; its metadata gives the row count up front."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise TabularError(f"The Parquet file could not be read: {exc}", code="corrupt")
    names = parquet.schema_arrow.names
    include = names[:max_columns] if max_columns else names

    def batches():
        try:
            for batch in parquet.iter_batches(batch_size=64 * 1024, columns=include):
                yield batch
        except (pa.ArrowInvalid, OSError) as exc:
            raise TabularError(
                f"The Parquet file could not be read: {exc}", code="corrupt"
            ) from None

    details = {"row_groups": parquet.num_row_groups}
    return TableStream(
        "parquet", details, list(names), batches(), total_rows=parquet.metadata.num_rows
    )
