"""Files that carry the registry in and out: the summary sheet (汇总表) and the database export."""
