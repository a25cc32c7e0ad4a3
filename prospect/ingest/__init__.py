"""The import engine: batches, worker processes and the clustering that turn observations into leads."""
