"""`cicatext validate`: every record against its schema, every text through the reader, and the attribution check."""
